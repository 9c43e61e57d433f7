// Manufactured solution u = sin(pi x) sin(pi y) of -div(k grad u) = f with
// k = 1 + xy on (0,1)^2, Dirichlet data on x = 0 and y = 0, Neumann flux on
// x = 1 and y = 1, on meshes with hanging nodes (the half x < 0.5 refined
// once more). Checks the L2 and H1 convergence rates p+1 and p for FE_Q
// degrees p = 1, 2 (rates rounded to one decimal).

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/heat.h>
#include <mollifem/models/state_solver.h>

#include "../tests.h"
#include "manufactured.h"

using namespace dealii;
using namespace mollifem;

class Exact : public Function<2>
{
public:
  double
  value(const Point<2> &p, const unsigned int = 0) const override
  {
    return std::sin(numbers::PI * p[0]) * std::sin(numbers::PI * p[1]);
  }
  Tensor<1, 2>
  gradient(const Point<2> &p, const unsigned int = 0) const override
  {
    const double pi = numbers::PI;
    return Tensor<1, 2>({pi * std::cos(pi * p[0]) * std::sin(pi * p[1]),
                         pi * std::sin(pi * p[0]) * std::cos(pi * p[1])});
  }
};

void
run(const unsigned int degree)
{
  const auto                     heat  = manufactured_heat_model(degree);
  const HeatModel<2> &           model = *heat;
  const ExpressionCoefficient<2> k("1 + x*y", "k");
  SolverParameters               solver_parameters;
  solver_parameters.linear_tolerance = 1e-13;

  MeshParameters mesh;
  mesh.grid_arguments         = "0 : 1 : true";
  mesh.refinement_region      = "x < 0.5";
  mesh.local_refinement_steps = 1;

  testing::log() << "FE_Q(" << degree << ")" << std::endl;
  std::vector<double> l2, h1;
  for (unsigned int cycle = 0; cycle < 4; ++cycle)
    {
      mesh.initial_global_refinement = 2 + cycle;
      auto triangulation = make_triangulation<2>(MPI_COMM_WORLD);
      create_mesh(mesh, *triangulation);

      StateSolver<2> solver(model, *triangulation, solver_parameters);
      solver.set_coefficient(k);
      LA::Vector u = solver.make_ghosted_vector();
      solver.solve_steady(u);

      Vector<float>     cell_errors(triangulation->n_active_cells());
      const QGauss<2>   quadrature(degree + 2);
      const Exact       exact;
      VectorTools::integrate_difference(solver.mapping(), solver.dof_handler(),
                                        u, exact, cell_errors, quadrature,
                                        VectorTools::L2_norm);
      l2.push_back(VectorTools::compute_global_error(*triangulation,
                                                     cell_errors,
                                                     VectorTools::L2_norm));
      VectorTools::integrate_difference(solver.mapping(), solver.dof_handler(),
                                        u, exact, cell_errors, quadrature,
                                        VectorTools::H1_seminorm);
      h1.push_back(VectorTools::compute_global_error(*triangulation,
                                                     cell_errors,
                                                     VectorTools::H1_seminorm));
      testing::log() << "  " << triangulation->n_global_active_cells()
                     << " cells, " << solver.dof_handler().n_dofs()
                     << " unknowns: L2 error " << testing::format(l2.back())
                     << ", H1 error " << testing::format(h1.back());
      if (cycle > 0)
        testing::log() << ", rates " << testing::rate(l2[cycle - 1], l2[cycle])
                       << " " << testing::rate(h1[cycle - 1], h1[cycle]);
      testing::log() << std::endl;
    }
  const double l2_rate = std::log2(l2[2] / l2[3]);
  const double h1_rate = std::log2(h1[2] / h1[3]);
  testing::log() << "  L2 rate within 0.15 of " << degree + 1 << ": "
                 << testing::yes_no(std::abs(l2_rate - (degree + 1)) < 0.15)
                 << "\n  H1 rate within 0.15 of " << degree << ": "
                 << testing::yes_no(std::abs(h1_rate - degree) < 0.15)
                 << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  run(1);
  run(2);
}
