// Several experiments in one inversion (heat, steady and transient, two
// experiments with different sources and boundary data, one coefficient):
// - the models come from one parameter file whose expressions are lists
//   separated by ';' (Parameters::ExperimentScope), with the number of
//   experiments counted, a shared single expression, and errors for lists of
//   different lengths and for a list outside of any scope;
// - the joint objective is the data-weighted mean of the experiments'
//   misfits, and its gradient the same combination of theirs (relative
//   differences below 1e-12);
// - Taylor tests of the joint objective: gradient remainders at rate 2,
//   Gauss-Newton remainders at rate 3 where the data are fitted.

#include <deal.II/base/function_parser.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/heat.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  std::string
  heat_parameters(const bool transient, const std::string &source)
  {
    return std::string("subsection Model\n"
                       "  subsection Heat\n"
                       "    set Problem = ") +
           (transient ? "transient" : "steady") +
           "\n"
           "    set Source = " +
           source +
           "\n"
           "    set Initial condition = x*y ; x\n"
           "    set Dirichlet boundary ids = 0, 2\n"
           "    set Dirichlet value = 0.5*y ; x\n"
           "  end\n"
           "end\n";
  }


  /// The models of all experiments of @p text.
  std::vector<std::unique_ptr<HeatModel<2>>>
  make_models(const std::string &text)
  {
    ParameterHandler prm;
    HeatModel<2>::declare_parameters(prm);
    prm.parse_input_from_string(text);
    std::vector<std::unique_ptr<HeatModel<2>>> models;
    Parameters::ExperimentScope first(0);
    models.push_back(std::make_unique<HeatModel<2>>(prm));
    for (unsigned int e = 1; e < first.n_experiments(); ++e)
      {
        Parameters::ExperimentScope scope(e);
        models.push_back(std::make_unique<HeatModel<2>>(prm));
      }
    return models;
  }


  void
  check_lists()
  {
    testing::log() << "experiments from lists: "
                   << make_models(heat_parameters(false, "4 + 2*x ; 0")).size()
                   << std::endl;
    try
      {
        make_models(heat_parameters(false, "1 ; 2 ; 3"));
        testing::log() << "lists of different lengths: accepted" << std::endl;
      }
    catch (const ExceptionBase &e)
      {
        testing::log() << "lists of different lengths: " << user_message(e)
                       << std::endl;
      }
    try
      {
        Expression<2>("1 ; 2", "Coefficient/Ground truth");
        testing::log() << "a list outside of any scope: accepted" << std::endl;
      }
    catch (const ExceptionBase &e)
      {
        testing::log() << "a list outside of any scope: " << user_message(e)
                       << std::endl;
      }
  }


  LA::Vector
  direction(const FEFieldCoefficient<2> &field, const std::string &expression)
  {
    FEFieldCoefficient<2> copy(field.dof_handler().get_triangulation(), 1, false);
    copy.interpolate_function(FunctionParser<2>(expression));
    return copy.parameters();
  }


  void
  run(const bool transient)
  {
    testing::log() << (transient ? "transient" : "steady") << std::endl;
    const auto models = make_models(heat_parameters(transient, "4 + 2*x ; 0"));

    SolverParameters solver_parameters;
    solver_parameters.linear_tolerance = 1e-14;
    TimeParameters time;
    time.end_time  = 0.2;
    time.time_step = 0.02;
    auto triangulation = testing::square_with_hanging_nodes(3);

    std::vector<std::unique_ptr<StateSolver<2>>> solvers;
    for (const auto &model : models)
      solvers.push_back(std::make_unique<StateSolver<2>>(*model,
                                                         *triangulation,
                                                         solver_parameters));
    const auto grid = StructuredGrid<2>::spanning(Point<2>(0.05, 0.05),
                                                  Point<2>(0.95, 0.95),
                                                  {{7, 7}});
    ObservationOperator<2> observe(grid.points(), MPI_COMM_WORLD);
    observe.reinit(*triangulation, solvers[0]->mapping());
    const std::vector<double> times =
      transient ? std::vector<double>{0.06, 0.2} : std::vector<double>{};
    const std::vector<double> sigmas = {0.01, 0.03};

    FEFieldCoefficient<2>   field(*triangulation, 1, true);
    const Regularization<2> regularization(
      field.dof_handler(), field.constraints(), "H1", 1e-2, 0.1, 0.1);

    // Data of every experiment from another conductivity.
    field.interpolate_function(FunctionParser<2>("1 + 0.5*sin(3*x)*y"));
    std::vector<std::vector<std::vector<double>>> data;
    for (unsigned int e = 0; e < models.size(); ++e)
      {
        const std::vector<std::vector<double>> zero(
          std::max<std::size_t>(times.size(), 1),
          std::vector<double>(grid.size(), 0.));
        ReducedObjective<2> truth(*models[e], *solvers[e], field, observe,
                                  times, zero, 1., time, nullptr);
        truth.value(field.parameters());
        data.push_back(truth.predictions());
      }

    const auto experiments = [&](const auto &d) {
      std::vector<ExperimentData<2>> list;
      for (unsigned int e = 0; e < models.size(); ++e)
        list.push_back({*models[e], *solvers[e], observe, times, d[e], sigmas[e]});
      return list;
    };

    field.interpolate_function(FunctionParser<2>("1.2 + 0.3*x - 0.2*x*y"));
    const LA::Vector    m = field.parameters();
    ReducedObjective<2> joint(experiments(data), field, time, nullptr);
    const double        J = joint.value(m);
    LA::Vector          g = field.make_parameter_vector();
    joint.gradient(m, g);

    // Each experiment alone: the joint misfit is their data-weighted mean
    // (here the plain mean, since both have as many data).
    double     combined = 0.;
    LA::Vector combined_gradient = field.make_parameter_vector();
    for (unsigned int e = 0; e < models.size(); ++e)
      {
        ReducedObjective<2> alone(*models[e], *solvers[e], field, observe,
                                  times, data[e], sigmas[e], time, nullptr);
        combined += alone.value(m) / models.size();
        LA::Vector ge = field.make_parameter_vector();
        alone.gradient(m, ge);
        combined_gradient.add(1. / models.size(), ge);
      }
    combined_gradient -= g;
    testing::log() << "  joint misfit = mean of the experiments' misfits: "
                   << testing::yes_no(std::abs(J - combined) < 1e-12 * J)
                   << ", gradient too: "
                   << testing::yes_no(combined_gradient.l2_norm() <
                                      1e-12 * g.l2_norm())
                   << std::endl;

    // Taylor tests with the regularization.
    ReducedObjective<2> objective(experiments(data), field, time, &regularization);
    const LA::Vector v = direction(field, "cos(2*x) + y*y");
    testing::print_rates("gradient",
                         testing::taylor_remainders(objective, m, v, 1e-2, 1));

    std::vector<std::vector<std::vector<double>>> exact;
    objective.value(m);
    for (unsigned int e = 0; e < models.size(); ++e)
      exact.push_back(objective.predictions(e));
    ReducedObjective<2> fitted(experiments(exact), field, time, &regularization);
    testing::print_rates("Gauss-Newton",
                         testing::taylor_remainders(fitted, m, v, 1e-1, 2));
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check_lists();
  run(false);
  run(true);
  return 0;
}
