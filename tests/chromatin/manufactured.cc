// Forward verification of card B3 with a manufactured solution: the steady
// chromatin model on (0,1)^2 with no-flux boundaries, A = 1, l = 0.1,
// phi_w = 0.2, lambda = 0.5, and the source f that makes
// phi_d = 0.3 cos(pi x) cos(pi y) the solution (its normal derivative and
// that of its Laplacian vanish on the boundary, so the no-flux conditions
// hold). Newton's method on the mixed form with FE_Q degree p for phi_d and
// mu_d; the L2 error of phi_d converges at rate p + 1 and the H1 error at
// rate p (printed rounded to one decimal).

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/chromatin.h>
#include <mollifem/models/state_solver.h>

#include "../tests.h"
#include "chromatin.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  /// (phi_d, mu_d) with the exact phi_d; mu_d is not compared.
  class Exact : public Function<2>
  {
  public:
    Exact()
      : Function<2>(2)
    {}
    double
    value(const Point<2> &p, const unsigned int component) const override
    {
      const double pi = numbers::PI;
      return component == 0 ? 0.3 * std::cos(pi * p[0]) * std::cos(pi * p[1]) :
                               0.;
    }
    Tensor<1, 2>
    gradient(const Point<2> &p, const unsigned int component) const override
    {
      const double pi = numbers::PI;
      if (component != 0)
        return Tensor<1, 2>();
      return Tensor<1, 2>(
        {-0.3 * pi * std::sin(pi * p[0]) * std::cos(pi * p[1]),
         -0.3 * pi * std::cos(pi * p[0]) * std::sin(pi * p[1])});
    }
  };

  /// f = -lap mu_d - 2 (lambda phi_e - phi_h) for the exact phi_d, as an
  /// expression: with P = phi_d and constant phi_w = 0.2,
  /// phi_h = (0.8 + P)/2, phi_e = (0.8 - P)/2, grad phi_h = grad P / 2 and
  /// lap mu_d = A (g'(phi_h) lap P / 2 + g''(phi_h) |grad P|^2 / 4) +
  /// lap P / 2 - l^2 lap^2 P, g'(h) = 6h^2 - 6 phi_max h + phi_max^2,
  /// g''(h) = 12 h - 6 phi_max.
  std::string
  manufactured_source()
  {
    const std::string P      = "(0.3*cos(pi*x)*cos(pi*y))";
    const std::string lap_P  = "(-2*pi^2*" + P + ")";
    const std::string bilap  = "(4*pi^4*" + P + ")";
    const std::string grad2  = "(0.09*pi^2*(sin(pi*x)^2*cos(pi*y)^2 + "
                              "cos(pi*x)^2*sin(pi*y)^2))";
    const std::string h      = "((0.8+" + P + ")/2)";
    const std::string e      = "((0.8-" + P + ")/2)";
    const std::string g1     = "(6*" + h + "^2 - 4.2*" + h + " + 0.49)";
    const std::string g2     = "(12*" + h + " - 4.2)";
    const std::string lap_mu = "(" + g1 + "*" + lap_P + "/2 + " + g2 + "*" +
                               grad2 + "/4 + " + lap_P + "/2 - 0.01*" + bilap +
                               ")";
    return "-" + lap_mu + " - 2*(0.5*" + e + " - " + h + ")";
  }

  void
  run(const unsigned int degree)
  {
    testing::log() << "FE_Q degree " << degree << std::endl;
    const ChromatinModel<2> model = testing::chromatin_model(
      "    set Finite element degree = " + std::to_string(degree) +
      "\n"
      "    set Problem = steady\n"
      "    set Double-well strength = 1\n"
      "    set Interface length = 0.1\n"
      "    set Nucleoplasm fraction = 0.2\n"
      "    set Source = " +
      manufactured_source() + "\n");
    const ExpressionCoefficient<2> lambda("0.5", "lambda");
    const Exact                    exact;
    const ComponentSelectFunction<2> phase(0, 2);

    const std::array<VectorTools::NormType, 2> norms = {
      {VectorTools::L2_norm, VectorTools::H1_seminorm}};
    std::array<std::vector<double>, 2> errors;
    for (unsigned int refinement = 2; refinement < 6; ++refinement)
      {
        auto triangulation = testing::unit_square(refinement);
        SolverParameters solver_parameters;
        solver_parameters.linear_solver    = "direct";
        solver_parameters.newton_tolerance = 1e-12;
        StateSolver<2> solver(model, *triangulation, solver_parameters);
        solver.set_coefficient(lambda);
        LA::Vector state = solver.make_owned_vector();
        solver.solve_steady(state);
        LA::Vector ghosted = solver.make_ghosted_vector();
        ghosted            = state;

        Vector<double>  cell_errors(triangulation->n_active_cells());
        const QGauss<2> quadrature(degree + 2);
        for (unsigned int n = 0; n < norms.size(); ++n)
          {
            VectorTools::integrate_difference(solver.mapping(),
                                              solver.dof_handler(),
                                              ghosted,
                                              exact,
                                              cell_errors,
                                              quadrature,
                                              norms[n],
                                              &phase);
            errors[n].push_back(VectorTools::compute_global_error(
              *triangulation, cell_errors, norms[n]));
          }
      }
    for (unsigned int n = 0; n < norms.size(); ++n)
      {
        testing::log() << (n == 0 ? "  L2 rates:" : "  H1 rates:");
        for (unsigned int i = 1; i < errors[n].size(); ++i)
          testing::log() << " " << testing::rate(errors[n][i - 1], errors[n][i]);
        testing::log() << std::endl;
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  run(1);
  run(2);
  return 0;
}
