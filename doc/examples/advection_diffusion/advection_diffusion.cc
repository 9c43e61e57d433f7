// Identify the diffusivity kappa(x) of a steady advection-diffusion problem
// (advection_diffusion.h) from noisy observations of u, with mollifem used as
// a library from an existing deal.II program: the program owns the mesh, the
// element and the DoFHandler, and the model is its weak form, written once
// for any number type (plus, for stage 1, its strong form). No derivative is
// written by hand: the framework's Taylor test checks the adjoint gradient
// and the Gauss-Newton Hessian that mollifem derives from the weak form by
// automatic differentiation; stage 1 (the mollifier's derivatives of the
// noisy data in the strong form) gives a first kappa without a forward
// solve, and stage 2 (adjoints, trust-region Newton-CG through ROL) recovers
// kappa from it.
#include <deal.II/base/function_parser.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include <mollifem/mollifem.h>

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

  const AdvectionDiffusion<2> model(Tensor<1, 2>({1., 0.}), 1.);
  SolverParameters            solver_parameters;
  solver_parameters.linear_solver    = "direct";
  TimeParameters         steady;
  StateSolver<2>         solver(model, dof_handler, solver_parameters);
  const auto             grid = StructuredGrid<2>::spanning(Point<2>(0., 0.),
                                                Point<2>(1., 1.),
                                                {{31, 31}});
  ObservationOperator<2> observe(grid.points(), MPI_COMM_WORLD);
  observe.reinit(triangulation, solver.mapping());

  // kappa = exp(m), m a Q1 field on the same mesh; its scores against the truth.
  FEFieldCoefficient<2> kappa(triangulation, 1, true);
  const FunctionParser<2> truth("0.1 + 0.08*exp(-((x-0.4)^2 + (y-0.6)^2)/0.03)");
  const auto scores = [&]() {
    return RecoveryScores::compute(kappa, dof_handler, truth, solver.mapping());
  };

  // Synthetic data with 1% noise (from the same mesh: an example, not a
  // benchmark).
  kappa.interpolate_function(truth);
  std::vector<std::vector<double>> data{std::vector<double>(grid.size())};
  {
    ReducedObjective<2> forward(model, solver, kappa, observe, {}, data, 1.,
                                steady, nullptr);
    forward.value(kappa.parameters());
    data = forward.predictions();
  }
  const double sigma = add_relative_noise(data, 0.01, 1);

  // The Taylor test of the new model at kappa = 0.14 along a smooth
  // direction, of the gradient and (where the data are fitted, so that it is
  // the Hessian) of the Gauss-Newton Hessian.
  kappa.interpolate_function(Functions::ConstantFunction<2>(0.14));
  const LA::Vector m0 = kappa.parameters();
  kappa.interpolate_function(FunctionParser<2>("log(1.5 + sin(3*x)*y)"));
  const LA::Vector v = kappa.parameters();
  const auto print_rates = [&](const std::string &label, auto &objective,
                               const double step, const unsigned int order) {
    out << "Taylor test, " << label << " remainder rates:" << std::fixed
        << std::setprecision(1);
    for (const double rate :
         taylor_rates(taylor_remainders(objective, m0, v, step, order)))
      out << ' ' << rate;
    out << std::endl;
  };
  ReducedObjective<2> misfit(model, solver, kappa, observe, {}, data, sigma,
                             steady, nullptr);
  print_rates("gradient", misfit, 1e-2, 1);
  misfit.value(m0);
  ReducedObjective<2> fitted(model, solver, kappa, observe, {},
                             misfit.predictions(), sigma, steady, nullptr);
  print_rates("Hessian", fitted, 1e-1, 2);

  // Stage 1: the mollified equation error from the data alone (one linear
  // solve, no forward solve); its kappa is stage 2's initial guess.
  MollifierParameters mollifier;
  mollifier.radius = {0.15};
  EquationError<2> stage_1(kappa.dof_handler(), kappa.constraints(),
                           solver.mapping(), QGauss<2>(2), {1e-2, 1e-6, 0.1});
  add_mollified_equations(model, mollifier, grid.points(),
                          std::vector<double>(grid.size(), 1. / grid.size()),
                          data[0], stage_1);
  LA::Vector m = kappa.parameters();
  stage_1.solve(m);
  for (const auto i : m.locally_owned_elements())
    m[i] = std::log(std::max<double>(m[i], 0.02));
  m.compress(VectorOperation::insert);
  kappa.set_parameters(m);
  out << "stage 1: correlation " << std::setprecision(2) << scores().correlation
      << std::endl;

  // Stage 2: H1 regularization, trust-region Newton-CG.
  const Regularization<2> regularization(kappa.dof_handler(),
                                         kappa.constraints(), "H1", 1e-1, 0.,
                                         0.);
  ReducedObjective<2> objective(model, solver, kappa, observe, {}, data, sigma,
                                steady, &regularization);
  Stage2Parameters parameters;
  parameters.gradient_tolerance = 1e-4;
  Optimizer<2> optimizer(parameters, objective);
  const OptimizerResult result = optimizer.solve(m, [&](const IterationReport &r) {
    out << "  iteration " << r.iteration << ": misfit " << std::scientific
        << std::setprecision(2) << r.misfit << std::endl;
  });
  kappa.set_parameters(m);
  const RecoveryScores final_scores = scores();
  out << std::fixed << std::setprecision(2)
      << (result.converged ? "converged" : "NOT converged")
      << "; kappa against the truth: correlation " << final_scores.correlation
      << ", relative L2 error " << final_scores.relative_error << std::endl;
  return final_scores.correlation > 0.9 ? 0 : 1;
}
