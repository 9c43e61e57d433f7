// Identify the diffusivity kappa(x) of a steady advection-diffusion problem
// (advection_diffusion.h) from noisy observations of u, with mollifem used as
// a library from an existing deal.II program: the program owns the
// triangulation, and the model is its weak form, written once for any number
// type. No derivative is written by hand: the framework's Taylor test checks
// the adjoint gradient and the Gauss-Newton Hessian that mollifem derives from
// it by automatic differentiation, and stage 2 recovers kappa with them.
#include <deal.II/base/function_parser.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/data/noise.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/inverse/regularization.h>
#include <mollifem/inverse/taylor_test.h>

#include <iomanip>
#include <iostream>

#include "advection_diffusion.h"

using namespace dealii;
using namespace mollifem;

int main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  ConditionalOStream out(std::cout,
                         Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0);
  out << std::setprecision(3);

  // The program's own mesh (boundary ids 0 to 3 on the four sides), element
  // and DoFHandler: mollifem's states are vectors of this space.
  parallel::distributed::Triangulation<2> triangulation(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(triangulation, 0., 1., true);
  triangulation.refine_global(5);
  const FE_Q<2> fe(1);
  DoFHandler<2> dof_handler(triangulation);
  dof_handler.distribute_dofs(fe);

  const AdvectionDiffusion<2> model(Tensor<1, 2>({4., 0.}), 1.);
  SolverParameters            solver_parameters;
  solver_parameters.linear_solver    = "direct";
  TimeParameters         steady;
  StateSolver<2>         solver(model, dof_handler, solver_parameters);
  const auto             grid = StructuredGrid<2>::spanning(Point<2>(0.05, 0.05),
                                                Point<2>(0.95, 0.95),
                                                {{31, 31}});
  ObservationOperator<2> observe(grid.points(), MPI_COMM_WORLD);
  observe.reinit(triangulation, solver.mapping());

  // kappa = exp(m), m a Q1 field on the same mesh.
  FEFieldCoefficient<2> kappa(triangulation, 1, true);
  const std::string     truth = "0.1 + 0.08*exp(-((x-0.4)^2 + (y-0.6)^2)/0.03)";

  // Synthetic data with 1% noise (from the same mesh: an example, not a
  // benchmark).
  kappa.interpolate_function(FunctionParser<2>(truth));
  const LA::Vector m_true = kappa.parameters();
  std::vector<std::vector<double>> data{std::vector<double>(grid.size())};
  {
    ReducedObjective<2> forward(model, solver, kappa, observe, {}, data, 1.,
                                steady, nullptr);
    forward.value(m_true);
    data = forward.predictions();
  }
  const double sigma = add_relative_noise(data, 0.01, 1);

  // The Taylor test of the new model at kappa = 0.14 along a smooth direction.
  kappa.interpolate_function(Functions::ConstantFunction<2>(0.14));
  const LA::Vector m0 = kappa.parameters();
  kappa.interpolate_function(FunctionParser<2>("log(1.5 + sin(3*x)*y)"));
  const LA::Vector v = kappa.parameters();
  {
    ReducedObjective<2> objective(model, solver, kappa, observe, {}, data,
                                  sigma, steady, nullptr);
    out << "Taylor test, gradient remainder rates:";
    for (const double rate :
         taylor_rates(taylor_remainders(objective, m0, v, 1e-2, 1)))
      out << ' ' << std::fixed << std::setprecision(1) << rate;
    // The Gauss-Newton Hessian is the Hessian where the data are fitted.
    objective.value(m0);
    ReducedObjective<2> fitted(model, solver, kappa, observe, {},
                               objective.predictions(), sigma, steady, nullptr);
    out << "\nTaylor test, Hessian remainder rates:";
    for (const double rate :
         taylor_rates(taylor_remainders(fitted, m0, v, 1e-1, 2)))
      out << ' ' << rate;
    out << std::endl;
  }

  // Stage 2 from kappa = 0.14: H1 regularization, trust-region Newton-CG.
  const Regularization<2> regularization(kappa.dof_handler(),
                                         kappa.constraints(), "H1", 1e-1, 0.,
                                         0.);
  ReducedObjective<2> objective(model, solver, kappa, observe, {}, data, sigma,
                                steady, &regularization);
  Stage2Parameters parameters;
  parameters.gradient_tolerance = 1e-4;
  Optimizer<2> optimizer(parameters, objective);
  LA::Vector   m = m0;
  const OptimizerResult result = optimizer.solve(m, [&](const IterationReport &r) {
    out << "  iteration " << r.iteration << ": misfit " << std::scientific
        << std::setprecision(2) << r.misfit << std::endl;
  });

  kappa.set_parameters(m);
  const RecoveryScores scores = RecoveryScores::compute(
    kappa, dof_handler, FunctionParser<2>(truth), solver.mapping());
  out << std::fixed << std::setprecision(2)
      << (result.converged ? "converged" : "NOT converged") << "; kappa against "
      << "the truth: correlation " << scores.correlation
      << ", relative L2 error " << scores.relative_error << std::endl;
  return scores.correlation > 0.9 ? 0 : 1;
}
