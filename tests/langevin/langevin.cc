// Card B1, the Langevin equation du/dt = -gamma u + lambda(t) on a mesh of
// the time interval:
// - forward: with lambda = cos t, gamma = 1, u(0) = 0 the exact solution is
//   u = (cos t + sin t - exp(-t))/2; the L2 error of the Galerkin method in
//   time converges at rate 2 for FE_Q(1) (optimal) and for FE_Q(2) (test
//   functions from the trial space: not the optimal cG(2), whose test
//   functions are discontinuous of degree 1; hence Q1 is the default);
// - the gradient of the reduced objective (H1 regularization) passes the
//   Taylor test (rate 2) and its Gauss-Newton Hessian is exact at a point
//   that fits the data (rate 3): the framework linearizes the model's one
//   residual, nothing is written for Langevin;
// - stage 2 recovers the card's forcing from 1% noisy data at 201 times with
//   correlation above 0.99.

#include <deal.II/base/function_parser.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/data/noise.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/langevin.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  std::unique_ptr<LangevinModel<1>>
  make_model(const unsigned int degree)
  {
    ParameterHandler prm;
    LangevinModel<1>::declare_parameters(prm);
    prm.parse_input_from_string("subsection Model\n  subsection Langevin\n"
                                "    set Finite element degree = " +
                                std::to_string(degree) + "\n  end\nend\n");
    return std::make_unique<LangevinModel<1>>(prm);
  }


  std::unique_ptr<Triangulation<1>>
  make_interval(const double end, const unsigned int refinement)
  {
    MeshParameters mesh;
    mesh.grid_arguments            = "0 : " + std::to_string(end) + " : true";
    mesh.initial_global_refinement = refinement;
    auto triangulation             = make_triangulation<1>(MPI_COMM_WORLD);
    create_mesh(mesh, *triangulation);
    return triangulation;
  }


  void
  forward_convergence(const unsigned int degree)
  {
    testing::log() << "forward, FE_Q(" << degree << ")" << std::endl;
    const auto                     model = make_model(degree);
    const ExpressionCoefficient<1> lambda("cos(x)", "lambda");
    FunctionParser<1>              exact("(cos(x) + sin(x) - exp(-x))/2");
    SolverParameters               solver_parameters;
    solver_parameters.linear_tolerance = 1e-14;
    std::vector<double> errors;
    for (unsigned int cycle = 0; cycle < 4; ++cycle)
      {
        const auto     triangulation = make_interval(5., 4 + cycle);
        StateSolver<1> solver(*model, *triangulation, solver_parameters);
        solver.set_coefficient(lambda);
        LA::Vector u = solver.make_ghosted_vector();
        solver.solve_steady(u);
        Vector<float> cell_errors(triangulation->n_active_cells());
        VectorTools::integrate_difference(solver.mapping(),
                                          solver.dof_handler(),
                                          u,
                                          exact,
                                          cell_errors,
                                          QGauss<1>(degree + 2),
                                          VectorTools::L2_norm);
        errors.push_back(VectorTools::compute_global_error(
          *triangulation, cell_errors, VectorTools::L2_norm));
        testing::log() << "  " << triangulation->n_global_active_cells()
                       << " cells: L2 error " << testing::format(errors.back());
        if (cycle > 0)
          testing::log() << ", rate "
                         << testing::rate(errors[cycle - 1], errors[cycle]);
        testing::log() << std::endl;
      }
  }


  /// A stage-2 set-up on [0, 10]: data of the card's forcing at 201 times.
  struct Setup
  {
    std::unique_ptr<LangevinModel<1>>  model = make_model(1);
    std::unique_ptr<Triangulation<1>>  triangulation;
    std::unique_ptr<StateSolver<1>>    solver;
    std::unique_ptr<ObservationOperator<1>> observe;
    std::unique_ptr<FEFieldCoefficient<1>>  field;
    std::unique_ptr<Regularization<1>>      regularization;
    std::vector<std::vector<double>>        data;
    double                                  sigma = 1.;
    TimeParameters                          time;

    static constexpr const char *truth =
      "1 + 0.5*sin(2*pi*x/5) + 0.8*exp(-(x-6)^2/0.5)";

    Setup(const unsigned int refinement, const double noise, const double alpha)
    {
      SolverParameters solver_parameters;
      solver_parameters.linear_tolerance = 1e-13;
      const auto grid =
        StructuredGrid<1>::spanning(Point<1>(0.), Point<1>(10.), {{201}});
      // Data from a finer mesh.
      {
        const auto     fine = make_interval(10., refinement + 1);
        StateSolver<1> fine_solver(*model, *fine, solver_parameters);
        ObservationOperator<1> fine_observe(grid.points(), MPI_COMM_WORLD);
        fine_observe.reinit(*fine, fine_solver.mapping());
        FEFieldCoefficient<1> exact(*fine, 1, false);
        exact.interpolate_function(
          FunctionParser<1>(truth, "pi=" + std::to_string(numbers::PI)));
        const std::vector<std::vector<double>> zero(
          1, std::vector<double>(grid.size()));
        ReducedObjective<1> forward(
          *model, fine_solver, exact, fine_observe, {}, zero, 1., time, nullptr);
        forward.value(exact.parameters());
        data = forward.predictions();
      }
      if (noise > 0.)
        sigma = add_relative_noise(data, noise, 3);
      triangulation = make_interval(10., refinement);
      solver  = std::make_unique<StateSolver<1>>(*model,
                                                *triangulation,
                                                solver_parameters);
      observe = std::make_unique<ObservationOperator<1>>(grid.points(),
                                                         MPI_COMM_WORLD);
      observe->reinit(*triangulation, solver->mapping());
      field = std::make_unique<FEFieldCoefficient<1>>(*triangulation, 1, false);
      field->interpolate_function(Functions::ConstantFunction<1>(1.));
      regularization = std::make_unique<Regularization<1>>(
        field->dof_handler(), field->constraints(), "H1", alpha, 0., 0.1);
    }
  };


  void
  taylor_test()
  {
    testing::log() << "Taylor tests" << std::endl;
    Setup               setup(6, 0.01, 1e-2);
    auto &              field = *setup.field;
    ReducedObjective<1> objective(*setup.model, *setup.solver, field,
                                  *setup.observe, {}, setup.data, setup.sigma,
                                  setup.time, setup.regularization.get());
    field.interpolate_function(FunctionParser<1>("1 + 0.1*x - 0.01*x*x"));
    const LA::Vector m = field.parameters();
    FEFieldCoefficient<1> direction_field(*setup.triangulation, 1, false);
    direction_field.interpolate_function(FunctionParser<1>("cos(x) + 0.1*x"));
    const LA::Vector v = direction_field.parameters();

    testing::print_rates("gradient",
                         testing::taylor_remainders(objective, m, v, 1e-2, 1));

    // At a point whose predictions are the data, the Gauss-Newton Hessian
    // is the Hessian.
    objective.value(m);
    ReducedObjective<1> fitted(*setup.model, *setup.solver, field,
                               *setup.observe, {}, objective.predictions(),
                               setup.sigma, setup.time,
                               setup.regularization.get());
    const std::vector<double> remainders =
      testing::taylor_remainders(fitted, m, v, 1., 2);
    LA::Vector Hv = field.make_parameter_vector();
    fitted.gauss_newton_vmult(m, v, Hv);
    const double vHv = v * Hv;
    // The map from lambda to u is linear: the quadratic model is exact, the
    // remainders are rounding and solver errors, far below the second-order
    // term.
    double worst = 0.;
    for (unsigned int i = 0; i < remainders.size(); ++i)
      {
        const double e = 1. / std::pow(2., i);
        worst          = std::max(worst, remainders[i] / (0.5 * e * e * vHv));
      }
    testing::log() << "  Gauss-Newton remainders below 1e-8 of the "
                      "second-order term: "
                   << testing::yes_no(worst < 1e-8) << std::endl;
    if (!(worst < 1e-8))
      testing::log() << "  " << worst << std::endl;
  }


  void
  recovery()
  {
    testing::log() << "stage 2 at 1% noise" << std::endl;
    Setup               setup(8, 0.01, 0.03);
    auto &              field = *setup.field;
    ReducedObjective<1> objective(*setup.model, *setup.solver, field,
                                  *setup.observe, {}, setup.data, setup.sigma,
                                  setup.time, setup.regularization.get());
    Stage2Parameters parameters;
    parameters.max_iterations     = 30;
    parameters.gradient_tolerance = 1e-4;
    Optimizer<1> optimizer(parameters, objective);
    LA::Vector   m = field.parameters();
    const auto   result = optimizer.solve(m, [](const IterationReport &) {});
    field.set_parameters(m);

    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(field.dof_handler(), relevant);
    LA::Vector q_owned = field.make_parameter_vector();
    field.interpolate(field.dof_handler(), q_owned);
    LA::Vector q(field.dof_handler().locally_owned_dofs(), relevant,
                 MPI_COMM_WORLD);
    q = q_owned;
    const RecoveryScores scores = RecoveryScores::compute(
      field.dof_handler(),
      q,
      FunctionParser<1>(Setup::truth, "pi=" + std::to_string(numbers::PI)),
      setup.solver->mapping(),
      QGauss<1>(3));
    testing::log() << "  converged: " << testing::yes_no(result.converged)
                   << ", correlation above 0.99: "
                   << testing::yes_no(scores.correlation > 0.99)
                   << ", relative L2 error below 0.03: "
                   << testing::yes_no(scores.relative_error < 0.03)
                   << std::endl;
    if (scores.correlation <= 0.99 || scores.relative_error >= 0.03)
      testing::log() << "  correlation " << scores.correlation << ", error "
                     << scores.relative_error << std::endl;
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  forward_convergence(1);
  forward_convergence(2);
  taylor_test();
  recovery();
  return 0;
}
