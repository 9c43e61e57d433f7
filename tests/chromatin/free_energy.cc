// Card B3 without reactions is a Cahn-Hilliard equation: on (0,1)^2 with
// no-flux boundaries, implicit Euler, from a perturbed mixed state, the
// free energy E = int 2A h(phi_h) + phi_e^2 + l^2/2 |grad phi_d|^2 decreases
// at every step and the mass int phi_d is conserved (to 1e-10 relative),
// both for the convex energy (A = 1) and the phase-separating one (A = 10,
// where the energy falls by more as domains form). With reactions and a
// rate ratio lambda = 0.5 the mass is not conserved (a check that the
// reaction term is there).

#include <deal.II/base/quadrature_lib.h>

#include <deal.II/fe/fe_values.h>

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
  /// Free energy and mass of the state.
  std::pair<double, double>
  energy_and_mass(const ChromatinModel<2> &model,
                  const StateSolver<2> &   solver,
                  const LA::Vector &       state)
  {
    const auto &      dofs = solver.dof_handler();
    const QGauss<2>   quadrature(3);
    FEValues<2>       fe_values(solver.mapping(),
                          dofs.get_fe(),
                          quadrature,
                          update_values | update_gradients |
                            update_quadrature_points | update_JxW_values);
    const FEValuesExtractors::Scalar phase(0);
    std::vector<double>              values(quadrature.size());
    std::vector<Tensor<1, 2>>        gradients(quadrature.size());
    double                           energy = 0., mass = 0.;
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values[phase].get_function_values(state, values);
          fe_values[phase].get_function_gradients(state, gradients);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              energy += model.free_energy_density(
                          values[q],
                          gradients[q],
                          model.nucleoplasm_fraction(
                            fe_values.quadrature_point(q))) *
                        fe_values.JxW(q);
              mass += values[q] * fe_values.JxW(q);
            }
        }
    return {Utilities::MPI::sum(energy, MPI_COMM_WORLD),
            Utilities::MPI::sum(mass, MPI_COMM_WORLD)};
  }


  void
  run(const double double_well, const bool reactions)
  {
    testing::log() << "A = " << double_well
                   << (reactions ? ", reactions with lambda = 0.5" :
                                   ", no reactions")
                   << std::endl;
    const ChromatinModel<2> model = testing::chromatin_model(
      "    set Double-well strength = " +
      std::to_string(double_well) +
      "\n"
      "    set Reactions = " +
      (reactions ? "true" : "false") +
      "\n"
      "    set Interface length = 0.05\n"
      "    set Nucleoplasm fraction = 0.2*exp(-((x-0.5)^2+(y-0.5)^2)/0.02)\n"
      "    set Initial condition = 0.1*cos(2*pi*x)*cos(3*pi*y) + "
      "0.05*sin(5*pi*x*y)\n");

    auto triangulation = testing::unit_square(5);
    SolverParameters solver_parameters;
    solver_parameters.linear_solver    = "direct";
    solver_parameters.newton_tolerance = 1e-12;
    StateSolver<2> solver(model, *triangulation, solver_parameters);
    const ExpressionCoefficient<2> lambda("0.5", "lambda");
    solver.set_coefficient(lambda);

    TimeParameters time;
    time.end_time  = 0.2;
    time.time_step = 0.01;
    time.scheme    = "implicit Euler";

    std::vector<std::pair<double, double>> history;
    solver.solve_transient(time,
                           [&](const unsigned int,
                               const double,
                               const LA::Vector &state) {
                             history.push_back(
                               energy_and_mass(model, solver, state));
                           });
    bool   decreasing = true;
    double mass_drift = 0.;
    for (unsigned int n = 1; n < history.size(); ++n)
      {
        decreasing = decreasing && history[n].first < history[n - 1].first;
        mass_drift =
          std::max(mass_drift,
                   std::abs(history[n].second - history[0].second));
      }
    const double scale = std::abs(history[0].second) + 1e-3;
    testing::log() << "  energy " << testing::format(history.front().first)
                   << " -> " << testing::format(history.back().first)
                   << ", decreasing at every step: "
                   << testing::yes_no(decreasing) << std::endl;
    testing::log() << "  mass conserved to 1e-10: "
                   << testing::yes_no(mass_drift < 1e-10 * scale) << std::endl;
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  run(1., false);
  run(10., false);
  run(10., true);
  return 0;
}
