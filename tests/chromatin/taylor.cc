// Taylor test of stage 2's gradient for card B3 (chromatin, mixed form
// (phi_d, mu_d), nonlinear, implicit Euler, pattern-forming A = 10): the
// reduced objective of phi_d observed at three times, with lambda an FE
// field with the log transform and H1 regularization. The remainder
// |J(m + e v) - J(m) - e g.v| decreases at rate 2; nothing in the test or the
// model is specific to the adjoint (the framework linearizes the model's
// one residual).

#include <deal.II/base/function_parser.h>

#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/chromatin.h>

#include "../tests.h"
#include "chromatin.h"

using namespace dealii;
using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const ChromatinModel<2> model = testing::chromatin_model(
    "    set Double-well strength = 10\n"
    "    set Interface length = 0.08\n"
    "    set Nucleoplasm fraction = 0.2*exp(-((x-0.5)^2+(y-0.5)^2)/0.02)\n"
    "    set Initial condition = 0.1*cos(2*pi*x)*cos(3*pi*y)\n");

  MeshParameters mesh;
  mesh.initial_global_refinement = 3;
  mesh.refinement_region         = "x < 0.5";
  mesh.local_refinement_steps    = 1;
  auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
  create_mesh(mesh, *triangulation);
  SolverParameters solver_parameters;
  solver_parameters.linear_solver    = "direct";
  solver_parameters.newton_tolerance = 1e-13;
  StateSolver<2> solver(model, *triangulation, solver_parameters);

  TimeParameters time;
  time.end_time  = 0.1;
  time.time_step = 0.02;
  time.scheme    = "implicit Euler";
  const std::vector<double> times = {0.03, 0.06, 0.1};
  const auto                grid  = StructuredGrid<2>::spanning(Point<2>(0.05, 0.05),
                                                 Point<2>(0.95, 0.95),
                                                 {{6, 6}});
  ObservationOperator<2> observe(grid.points(), MPI_COMM_WORLD);
  observe.reinit(*triangulation, solver.mapping());

  FEFieldCoefficient<2>   field(*triangulation, 1, true);
  const Regularization<2> regularization(
    field.dof_handler(), field.constraints(), "H1", 1e-3, 0.1, 0.1);

  // Data from another rate ratio.
  field.interpolate_function(FunctionParser<2>("0.5 + 0.3*x*y"));
  std::vector<std::vector<double>> data;
  {
    const std::vector<std::vector<double>> zero(times.size(),
                                                std::vector<double>(grid.size()));
    ReducedObjective<2> truth(model, solver, field, observe, times, zero, 1.,
                              time, nullptr);
    truth.value(field.parameters());
    data = truth.predictions();
  }

  field.interpolate_function(FunctionParser<2>("0.6 - 0.1*x + 0.2*y"));
  const LA::Vector    m = field.parameters();
  ReducedObjective<2> objective(model, solver, field, observe, times, data,
                                1e-3, time, &regularization);
  FEFieldCoefficient<2> direction(*triangulation, 1, false);
  direction.interpolate_function(FunctionParser<2>("cos(2*x) + y*y"));
  const LA::Vector v = direction.parameters();

  testing::log() << "chromatin, transient, log transform, H1" << std::endl;
  testing::print_rates("gradient",
                       testing::taylor_remainders(objective, m, v, 1e-2, 1));
  return 0;
}
