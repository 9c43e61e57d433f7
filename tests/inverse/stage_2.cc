// Stage 2 recovers a known conductivity of the heat model through ROL, on a
// mesh with hanging nodes, with data on a 21 x 21 grid:
// - noise-free data (from the FE interpolant of the truth on the same mesh)
//   and no regularization: trust-region Newton-CG drives the misfit to the
//   solver tolerance (reduced below 1e-8 of its initial value), steady and
//   transient (Crank-Nicolson, observation times between time steps);
// - 1% noise (data from the truth on a finer mesh), H1 regularization:
//   the correlation with the truth exceeds 0.9 (the initial guess k = 1 has
//   none) and the relative L2 error falls below 5%, steady and transient
//   with the log transform, and with L-BFGS without it;
// - bounds 0.5 <= k <= 1.3 (the truth peaks at 1.5) hold at every node, and
//   the upper one is reached (to 0.01), for both algorithms.

#include <deal.II/base/function_parser.h>

#include <deal.II/dofs/dof_tools.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/data/noise.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/heat.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

const std::string truth_expression =
  "1 + 0.5*exp(-((x-0.35)^2 + (y-0.6)^2)/0.03)";

std::unique_ptr<Triangulation<2>>
make_mesh(const unsigned int refinement)
{
  MeshParameters mesh;
  mesh.grid_arguments            = "0 : 1 : true";
  mesh.initial_global_refinement = refinement;
  mesh.refinement_region         = "(x-0.35)^2 + (y-0.6)^2 < 0.04";
  mesh.local_refinement_steps    = 1;
  auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
  create_mesh(mesh, *triangulation);
  return triangulation;
}

void
run(const bool         transient,
    const double       noise,
    const std::string &algorithm,
    const bool         log_transform,
    const double       alpha       = 0.1,
    const double       upper_bound = 0.)
{
  testing::log() << (transient ? "transient" : "steady") << ", noise "
                 << noise << ", " << algorithm
                 << (log_transform ? ", log transform" : "") << std::endl;
  ParameterHandler prm;
  HeatModel<2>::declare_parameters(prm);
  prm.parse_input_from_string(
    std::string("subsection Model\n  subsection Heat\n    set Problem = ") +
    (transient ? "transient" : "steady") +
    "\n    set Source = 10*exp(-((x-0.7)^2 + (y-0.3)^2)/0.05) + 2"
    "\n    set Initial condition = 0\n  end\nend\n");
  const HeatModel<2> model(prm);
  SolverParameters   solver_parameters;
  solver_parameters.linear_tolerance = 1e-12;
  TimeParameters time;
  time.end_time  = 0.3;
  time.time_step = 0.03;
  const std::vector<double> times =
    transient ? std::vector<double>{0.1, 0.2, 0.3} : std::vector<double>{};
  const auto grid = StructuredGrid<2>::spanning(Point<2>(0, 0),
                                                Point<2>(1, 1),
                                                {{21, 21}});

  // The data: noise-free ones on the inversion mesh itself.
  std::vector<std::vector<double>> data;
  {
    auto                   triangulation = make_mesh(noise > 0 ? 5 : 3);
    StateSolver<2>         solver(model, *triangulation, solver_parameters);
    ObservationOperator<2> observe(grid.points(), MPI_COMM_WORLD);
    observe.reinit(*triangulation, solver.mapping());
    FEFieldCoefficient<2> truth(*triangulation, 1, false);
    truth.interpolate_function(FunctionParser<2>(truth_expression));
    const std::vector<std::vector<double>> zero(
      std::max<std::size_t>(times.size(), 1), std::vector<double>(grid.size()));
    ReducedObjective<2> forward(model, solver, truth, observe, times, zero,
                                1., time, nullptr);
    forward.value(truth.parameters());
    data = forward.predictions();
  }
  const double sigma =
    noise > 0 ? add_relative_noise(data, noise, 7) : 1e-3;

  auto                   triangulation = make_mesh(noise > 0 ? 4 : 3);
  StateSolver<2>         solver(model, *triangulation, solver_parameters);
  ObservationOperator<2> observe(grid.points(), MPI_COMM_WORLD);
  observe.reinit(*triangulation, solver.mapping());
  FEFieldCoefficient<2> field(*triangulation, 1, log_transform);
  field.interpolate_function(Functions::ConstantFunction<2>(1.));
  const Regularization<2> regularization(field.dof_handler(),
                                         field.constraints(),
                                         noise > 0 ? "H1" : "none",
                                         alpha,
                                         0.,
                                         0.1);
  ReducedObjective<2> objective(model, solver, field, observe, times, data,
                                sigma, time, &regularization);

  Stage2Parameters parameters;
  parameters.algorithm          = algorithm;
  parameters.max_iterations =
    algorithm == "L-BFGS line search" ? 100 : (noise > 0 || transient ? 30 : 200);
  parameters.gradient_tolerance = noise > 0 ? 1e-4 : 1e-10;
  parameters.step_tolerance     = 1e-14;
  Optimizer<2> optimizer(parameters, objective);
  if (upper_bound > 0.)
    {
      LA::Vector lower = field.make_parameter_vector();
      LA::Vector upper = field.make_parameter_vector();
      lower            = log_transform ? std::log(0.5) : 0.5;
      upper            = log_transform ? std::log(upper_bound) : upper_bound;
      optimizer.set_bounds(lower, upper);
    }
  LA::Vector   m              = field.parameters();
  const double initial_misfit = objective.value(m);
  const OptimizerResult result =
    optimizer.solve(m, [](const IterationReport &) {});
  field.set_parameters(m);

  if (noise == 0.)
    {
      const double reduction = objective.misfit() / initial_misfit;
      testing::log() << "  misfit reduced below 1e-8: "
                     << testing::yes_no(reduction < 1e-8) << std::endl;
      if (!(reduction < 1e-8))
        testing::log() << "  reduction " << reduction << ", "
                       << result.reason << std::endl;
      return;
    }
  IndexSet relevant;
  DoFTools::extract_locally_relevant_dofs(field.dof_handler(), relevant);
  LA::Vector q_owned = field.make_parameter_vector();
  field.interpolate(field.dof_handler(), q_owned);
  LA::Vector q(field.dof_handler().locally_owned_dofs(), relevant, MPI_COMM_WORLD);
  q = q_owned;
  const RecoveryScores scores =
    RecoveryScores::compute(field.dof_handler(),
                            q,
                            FunctionParser<2>(truth_expression),
                            solver.mapping(),
                            QGauss<2>(3));
  if (upper_bound > 0.)
    {
      testing::log() << "  0.5 <= k <= " << upper_bound << " at the nodes: "
                     << testing::yes_no(q_owned.min() >= 0.5 - 1e-12 &&
                                        q_owned.max() <= upper_bound + 1e-12)
                     << ", bound reached to 0.01: "
                     << testing::yes_no(q_owned.max() > upper_bound - 1e-2)
                     << std::endl;
      return;
    }
  testing::log() << "  converged: " << testing::yes_no(result.converged)
                 << ", correlation > 0.9: "
                 << testing::yes_no(scores.correlation > 0.9)
                 << ", relative L2 error < 5%: "
                 << testing::yes_no(scores.relative_error < 0.05) << std::endl;
  if (!(scores.correlation > 0.9 && scores.relative_error < 0.05))
    testing::log() << "  correlation " << scores.correlation << ", error "
                   << scores.relative_error << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  run(false, 0., "trust-region Newton-CG", false);
  run(true, 0., "trust-region Newton-CG", true);
  run(false, 0.01, "trust-region Newton-CG", true);
  run(true, 0.01, "trust-region Newton-CG", true);
  run(false, 0.01, "L-BFGS line search", false, 0.3);
  // The truth peaks at 1.5: an upper bound of 1.3 is active.
  run(false, 0.01, "trust-region Newton-CG", true, 0.1, 1.3);
  run(false, 0.01, "L-BFGS line search", false, 0.3, 1.3);
  return 0;
}
