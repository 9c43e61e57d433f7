// Taylor tests of the reduced objective of stage 2 for the heat model,
// steady and transient (Crank-Nicolson, with an observation time between
// two time steps), with the FE field with and without the log transform and
// mollified, and with neural fields (tanh with the log transform; sine with
// Fourier features), on a mesh with hanging nodes:
// - gradient: |J(m + e v) - J(m) - e g.v| decreases at rate 2 (a wrong
//   gradient gives rate 1);
// - Gauss-Newton Hessian: at a point where the data are fitted exactly (the
//   Gauss-Newton Hessian is then the Hessian),
//   |J(m + e v) - J(m) - e g.v - e^2/2 v.Hv| decreases at rate 3, and
//   u.Hv = v.Hu (symmetry, relative to |u||Hv|).
// Rates are printed rounded to one decimal.

#include <deal.II/base/function_parser.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/coefficient/neural_coefficient.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/heat.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  /// A smooth direction with values of order one at the parameter nodes.
  LA::Vector
  direction(const FEFieldCoefficient<2> &field, const std::string &expression)
  {
    FEFieldCoefficient<2> copy(field.dof_handler().get_triangulation(), 1, false);
    copy.interpolate_function(FunctionParser<2>(expression));
    return copy.parameters();
  }


  /// du/dt + b.grad u + q u^3 - div((1 + u^2/5) grad u) = 1, u = 0 on the
  /// boundaries x = 0 and y = 0.
  class NonlinearModel : public PointwiseModel<2, NonlinearModel>
  {
  public:
    explicit NonlinearModel(const bool transient)
      : transient(transient)
    {}
    std::string name() const override { return "nonlinear"; }
    std::vector<std::string> component_names() const override { return {"u"}; }
    std::unique_ptr<FiniteElement<2>> make_finite_element() const override
    {
      return std::make_unique<FE_Q<2>>(1);
    }
    std::string coefficient_name() const override { return "q"; }
    bool is_linear() const override { return false; }
    bool is_symmetric() const override { return false; }
    bool is_transient() const override { return transient; }
    std::vector<DirichletBoundary<2>> dirichlet_boundaries() const override
    {
      const auto zero = std::make_shared<Functions::ZeroFunction<2>>();
      return {{0, zero, ComponentMask()}, {2, zero, ComponentMask()}};
    }
    template <typename Number>
    void point_residual(const PointState<2, Number> &s,
                        PointResidual<2, Number> &   r) const
    {
      const Number &u = s.value[0];
      r.value[0] = 2. * s.gradient[0][0] + s.gradient[0][1] +
                   s.coefficient * u * u * u - 1.;
      const Number diffusivity = 1. + 0.2 * u * u;
      r.flux[0]                = diffusivity * s.gradient[0];
    }

  private:
    const bool transient;
  };
} // namespace

/// The mesh, solver and observations of every case.
struct Setup
{
  explicit Setup(const Model<2> &model)
    : triangulation(testing::square_with_hanging_nodes(3))
  {
    solver_parameters.linear_tolerance = 1e-14;
    time.end_time                      = 0.2;
    time.time_step                     = 0.02;
    solver = std::make_unique<StateSolver<2>>(model, *triangulation,
                                              solver_parameters);
    observation_operator = std::make_unique<ObservationOperator<2>>(
      grid.points(), MPI_COMM_WORLD);
    observation_operator->reinit(*triangulation, solver->mapping());
    if (model.is_transient())
      times = {0.06, 0.13, 0.2};
  }

  SolverParameters                        solver_parameters;
  TimeParameters                          time;
  std::unique_ptr<Triangulation<2>>       triangulation;
  std::unique_ptr<StateSolver<2>>         solver;
  const StructuredGrid<2>                 grid =
    StructuredGrid<2>::spanning(Point<2>(0.05, 0.05), Point<2>(0.95, 0.95), {{7, 7}});
  std::unique_ptr<ObservationOperator<2>> observation_operator;
  std::vector<double>                     times;
};



/**
 * The Taylor tests of the objective of @p model with the coefficient
 * @p field: data made with the parameters @p m_data, the tests at @p m in
 * the directions @p v (and @p w for the symmetry).
 */
void
check(const Model<2> &                model,
      Setup &                         setup,
      ParametricCoefficient<2> &      field,
      const ParameterRegularization * regularization,
      const LA::Vector &              m_data,
      const LA::Vector &              m,
      const LA::Vector &              v,
      const LA::Vector &              w)
{
  const auto &times = setup.times;
  // Data from a different coefficient: the misfit is not zero at m.
  field.set_parameters(m_data);
  std::vector<std::vector<double>> data;
  {
    const std::vector<std::vector<double>> zero(
      std::max<std::size_t>(times.size(), 1),
      std::vector<double>(setup.grid.size(), 0.));
    ReducedObjective<2> truth(model, *setup.solver, field,
                              *setup.observation_operator, times, zero, 1.,
                              setup.time, nullptr);
    truth.value(m_data);
    data = truth.predictions();
  }

  field.set_parameters(m);
  ReducedObjective<2> objective(model, *setup.solver, field,
                                *setup.observation_operator, times, data,
                                0.01, setup.time, regularization);
  testing::print_rates("gradient",
                       testing::taylor_remainders(objective, m, v, 1e-2, 1));

  // Data fitted exactly at m: the Gauss-Newton Hessian is the Hessian.
  objective.value(m);
  ReducedObjective<2> fitted(model, *setup.solver, field,
                             *setup.observation_operator, times,
                             objective.predictions(), 0.01, setup.time,
                             regularization);
  testing::print_rates("Gauss-Newton",
                       testing::taylor_remainders(fitted, m, v, 1e-1, 2));
  LA::Vector Hv = field.make_parameter_vector();
  LA::Vector Hw = field.make_parameter_vector();
  fitted.gauss_newton_vmult(m, v, Hv);
  fitted.gauss_newton_vmult(m, w, Hw);
  const double asymmetry =
    std::abs(w * Hv - v * Hw) / (w.l2_norm() * Hv.l2_norm());
  testing::log() << "  Hessian symmetric to 1e-10: "
                 << testing::yes_no(asymmetry < 1e-10) << std::endl;
}



void
run(const Model<2> &  model,
    const bool         log_transform,
    const std::string &regularization_type,
    const bool         mollified = false)
{
  testing::log() << model.name() << ", "
                 << (model.is_transient() ? "transient" : "steady")
                 << (log_transform ? ", log transform" : "")
                 << (mollified ? ", mollified field" : "")
                 << ", regularization " << regularization_type << std::endl;
  Setup                 setup(model);
  FEFieldCoefficient<2> field(*setup.triangulation, 1, log_transform);
  if (mollified)
    {
      MollifierParameters kernel;
      kernel.radius = {0.2};
      field.mollify(kernel);
    }
  const Regularization<2> regularization(field.dof_handler(),
                                         field.constraints(),
                                         regularization_type,
                                         1e-2,
                                         0.1,
                                         0.1,
                                         0.2);
  field.interpolate_function(FunctionParser<2>("1 + 0.5*sin(3*x)*y"));
  const LA::Vector m_data = field.parameters();
  field.interpolate_function(FunctionParser<2>("1.2 + 0.3*x - 0.2*x*y"));
  const LA::Vector m = field.parameters();
  check(model, setup, field, &regularization, m_data, m,
        direction(field, "cos(2*x) + y*y"), direction(field, "x - y*x"));
}



/// A parameter vector of @p field with entries a + b sin(c i) (i the index).
LA::Vector
wave(const ParametricCoefficient<2> &field,
     const double                    a,
     const double                    b,
     const double                    c)
{
  LA::Vector v = field.make_parameter_vector();
  for (const auto i : v.locally_owned_elements())
    v[i] = a + b * std::sin(c * i);
  v.compress(VectorOperation::insert);
  return v;
}



/// The neural field (no regularization: its Taylor test is the network's).
void
run_neural(const Model<2> &model, const NeuralParameters &architecture,
           const bool log_transform)
{
  Setup                setup(model);
  NeuralCoefficient<2> field(*setup.triangulation, architecture, log_transform);
  testing::log() << model.name() << ", "
                 << (model.is_transient() ? "transient" : "steady") << ", "
                 << field.description() << std::endl;
  const LA::Vector m = field.parameters();
  LA::Vector       m_data = m;
  m_data.add(1., wave(field, 0., 0.1, 0.7));
  check(model, setup, field, nullptr, m_data, m, wave(field, 0.1, 0.5, 1.3),
        wave(field, -0.2, 0.4, 2.1));
}



/// The hybrid field q = exp(m_h + y), with its regularization (H1 on the FE
/// part, weight decay on the network).
void
run_hybrid(const Model<2> &model, const NeuralParameters &architecture)
{
  Setup                   setup(model);
  HybridCoefficient<2>    field(*setup.triangulation, 1, architecture, true);
  const HybridRegularization<2> regularization(
    field,
    std::make_unique<Regularization<2>>(field.fe_part().dof_handler(),
                                        field.fe_part().constraints(),
                                        "H1",
                                        1e-2,
                                        0.,
                                        0.),
    0.5);
  testing::log() << model.name() << ", "
                 << (model.is_transient() ? "transient" : "steady") << ", "
                 << field.description() << ", regularization H1 + weight decay"
                 << std::endl;
  field.interpolate_function(FunctionParser<2>("1 + 0.5*sin(3*x)*y"));
  LA::Vector m_data = field.parameters();
  m_data.add(1., wave(field, 0., 0.1, 0.7));
  field.interpolate_function(FunctionParser<2>("1.2 + 0.3*x - 0.2*x*y"));
  const LA::Vector m = field.parameters();
  check(model, setup, field, &regularization, m_data, m,
        wave(field, 0.1, 0.5, 1.3), wave(field, -0.2, 0.4, 2.1));
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const bool transient : {false, true})
    {
      ParameterHandler prm;
      HeatModel<2>::declare_parameters(prm);
      prm.parse_input_from_string(
        std::string("subsection Model\n"
                    "  subsection Heat\n"
                    "    set Problem = ") +
        (transient ? "transient" : "steady") +
        "\n"
        "    set Source = 4 + 2*x\n"
        "    set Initial condition = x*y\n"
        "    set Dirichlet boundary ids = 0, 2\n"
        "    set Dirichlet value = 0.5*y\n"
        "    set Neumann flux = 0.3*(x > 1-1e-8)\n"
        "  end\n"
        "end\n");
      const HeatModel<2> heat(prm);
      run(heat, false, transient ? "L2" : "H1");
      run(heat, true, transient ? "H1" : "TV");
      run(heat, true, "H1", true);
      if (!transient)
        run(heat, true, "H2");
      NeuralParameters tanh;
      tanh.hidden_layers = {8, 8};
      run_neural(heat, tanh, true);
      NeuralParameters sine;
      sine.hidden_layers    = {6};
      sine.activation       = "sine";
      sine.fourier_features = 3;
      sine.initial_value    = 1.5;
      run_neural(heat, sine, false);
      run_hybrid(heat, tanh);
    }
  run(NonlinearModel(false), false, "H1");
  run(NonlinearModel(true), true, "H1");
  return 0;
}
