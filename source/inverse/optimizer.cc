#include <ROL_Bounds.hpp>
#include <ROL_Objective.hpp>
#include <ROL_Algorithm.hpp>
#include <ROL_CombinedStatusTest.hpp>
#include <ROL_StatusTest.hpp>
#include <ROL_StatusTestFactory.hpp>
#include <ROL_StepFactory.hpp>
#include <Teuchos_oblackholestream.hpp>

#include <mollifem/base/format.h>
#include <mollifem/inverse/optimizer.h>

#include <cmath>
#include <limits>

namespace mollifem
{
  ParameterVector::ParameterVector(
    const Teuchos::RCP<LA::Vector> &         vector,
    const std::shared_ptr<const LA::Vector> &weights,
    const bool                               dual_space)
    : Rol::VectorAdaptor<LA::Vector>(vector)
    , weights(weights)
    , dual_space(dual_space)
  {}



  double
  ParameterVector::dot(const ROL::Vector<double> &other) const
  {
    if (!weights)
      return Rol::VectorAdaptor<LA::Vector>::dot(other);
    const LA::Vector &x = *getVector();
    const LA::Vector &y =
      *Teuchos::dyn_cast<const ParameterVector>(other).getVector();
    double local = 0.;
    for (const auto i : x.locally_owned_elements())
      local += dual_space ? x[i] * y[i] / (*weights)[i] :
                            x[i] * y[i] * (*weights)[i];
    return Utilities::MPI::sum(local, x.get_mpi_communicator());
  }



  double
  ParameterVector::norm() const
  {
    return weights ? std::sqrt(dot(*this)) :
                     Rol::VectorAdaptor<LA::Vector>::norm();
  }



  const ROL::Vector<double> &
  ParameterVector::dual() const
  {
    if (!weights)
      return *this;
    if (dual_vector.is_null())
      dual_vector = Teuchos::rcp(
        new ParameterVector(Teuchos::rcp(new LA::Vector(*getVector())),
                            weights,
                            !dual_space));
    LA::Vector &      y = *dual_vector->getVector();
    const LA::Vector &x = *getVector();
    for (const auto i : x.locally_owned_elements())
      y[i] = dual_space ? x[i] / (*weights)[i] : x[i] * (*weights)[i];
    y.compress(VectorOperation::insert);
    return *dual_vector;
  }



  double
  ParameterVector::reduce(const ROL::Elementwise::ReductionOp<double> &r) const
  {
    const double local    = Rol::VectorAdaptor<LA::Vector>::reduce(r);
    const MPI_Comm comm   = getVector()->get_mpi_communicator();
    switch (r.reductionType())
      {
        case Teuchos::REDUCE_SUM:
          return Utilities::MPI::sum(local, comm);
        case Teuchos::REDUCE_MIN:
        case Teuchos::REDUCE_AND:
          return Utilities::MPI::min(local, comm);
        case Teuchos::REDUCE_MAX:
        case Teuchos::REDUCE_BOR:
          return Utilities::MPI::max(local, comm);
        default:
          AssertThrow(false, ExcNotImplemented());
      }
    return local;
  }



  Teuchos::RCP<ROL::Vector<double>>
  ParameterVector::clone() const
  {
    auto copy = Teuchos::rcp(new LA::Vector(*getVector()));
    return Teuchos::rcp(new ParameterVector(copy, weights, dual_space));
  }



  Teuchos::RCP<ROL::Vector<double>>
  ParameterVector::basis(const int i) const
  {
    auto e = Teuchos::rcp(new LA::Vector(*getVector()));
    *e     = 0.;
    if (e->locally_owned_elements().is_element(i))
      (*e)[i] = 1.;
    e->compress(VectorOperation::insert);
    return Teuchos::rcp(new ParameterVector(e, weights, dual_space));
  }



  namespace
  {
    const LA::Vector &
    vector_of(const ROL::Vector<double> &x)
    {
      return *Teuchos::dyn_cast<const ParameterVector>(x).getVector();
    }

    LA::Vector &
    vector_of(ROL::Vector<double> &x)
    {
      return *Teuchos::dyn_cast<ParameterVector>(x).getVector();
    }

    /// The ReducedObjective as a ROL objective.
    template <int dim>
    class RolObjective : public ROL::Objective<double>
    {
    public:
      explicit RolObjective(ReducedObjective<dim> &objective)
        : objective(objective)
      {}

      double
      value(const ROL::Vector<double> &x, double &) override
      {
        return objective.value(vector_of(x));
      }

      void
      gradient(ROL::Vector<double> &      g,
               const ROL::Vector<double> &x,
               double &) override
      {
        objective.gradient(vector_of(x), vector_of(g));
      }

      void
      hessVec(ROL::Vector<double> &      hv,
              const ROL::Vector<double> &v,
              const ROL::Vector<double> &x,
              double &) override
      {
        objective.gauss_newton_vmult(vector_of(x), vector_of(v), vector_of(hv));
      }

      void
      precond(ROL::Vector<double> &      pv,
              const ROL::Vector<double> &v,
              const ROL::Vector<double> &x,
              double &) override
      {
        objective.precondition(vector_of(x), vector_of(v), vector_of(pv));
      }

    private:
      ReducedObjective<dim> &objective;
    };

    /// Reports every iteration; never stops the optimizer itself.
    template <int dim>
    class Monitor : public ROL::StatusTest<double>
    {
    public:
      /**
       * @param step The step, whose state holds the trust region's radius.
       * @param offset Added to ROL's iteration numbers (a resumed run).
       * @param decrease_tolerance With a trust-region step: stop after a
       *   step inside the trust region that decreased the objective by
       *   more than 0 and less than this (0: never).
       */
      Monitor(ReducedObjective<dim> &                               objective,
              const std::function<void(const IterationReport &)> &report,
              const ROL::Step<double> &                             step,
              const unsigned int                                    offset,
              const double decrease_tolerance = 0.,
              const bool   one_step_prediction = false)
        : objective(objective)
        , report(report)
        , step(step)
        , offset(offset)
        , decrease_tolerance(decrease_tolerance)
        , one_step_prediction(one_step_prediction)
      {}

      /**
       * ROL checks its own stopping test first and skips this one once that
       * says stop: the final iterate is reported by a call after solve().
       */
      bool
      check(ROL::AlgorithmState<double> &state) override
      {
        last_reported = state.iter;
        const LA::Vector &m = vector_of(*state.iterateVec);
        // A resumed run reported its starting point before; the decrease
        // test of its first step compares with it, as without the
        // interruption.
        if (offset > 0 && state.iter == 0)
          {
            const auto resumed_state = step.getStepState();
            last_value               = objective.value(m);
            last_radius = resumed_state.is_null() ?
                            0. :
                            std::max(0., resumed_state->searchSize);
            last_gradient_norm = state.gnorm;
            return true;
          }
        // Usually the objective's last point already: no new solve.
        const double value = objective.value(m);
        const auto   step_state = step.getStepState();
        const double radius =
          step_state.is_null() ? 0. : std::max(0., step_state->searchSize);
        // A rejected step leaves the value; one on the trust region's
        // boundary need not be a Newton step.
        const double decrease = last_value - value;
        const bool   interior = state.snorm < 0.9 * last_radius;
        const bool   newton_step = state.iter > 0 && decrease_tolerance > 0. &&
                                 decrease > 0. && interior;
        // The next Newton step's decrease, predicted from this one's: a
        // Newton step from the gradient g lowers the objective by about
        // g^T H^{-1} g / 2, and in Newton's local regime the ratio of that
        // to |g|^2 changes little from step to step. The regime is
        // recognized by two Newton steps in a row whose ratio grew by at
        // most a factor of 2 (the first step from a new start, or after a
        // step cut by the trust region, leaves a gradient in directions its
        // truncated CG did not resolve, where the ratio can be 50 times
        // larger); the prediction takes the ratio's growth once more.
        const double ratio =
          newton_step && last_gradient_norm > 0. ?
            decrease / (last_gradient_norm * last_gradient_norm) :
            0.;
        const double growth =
          last_ratio > 0. ? ratio / last_ratio : one_step_prediction ? 1. : 0.;
        predicted_decrease =
          ratio > 0. && growth > 0. && growth <= 2. ?
            ratio * std::max(1., growth) * state.gnorm * state.gnorm :
            std::numeric_limits<double>::infinity();
        last_ratio = ratio;
        by_prediction = newton_step && decrease >= decrease_tolerance &&
                        predicted_decrease < decrease_tolerance &&
                        predicted_decrease < decrease;
        below_decrease_tolerance =
          (newton_step && decrease < decrease_tolerance) || by_prediction;
        last_value         = value;
        last_radius        = radius;
        last_gradient_norm = state.gnorm;
        report({static_cast<unsigned int>(state.iter) + offset,
                value,
                objective.misfit(),
                objective.regularization_value(),
                state.gnorm,
                state.iter == 0 ? 0. : state.snorm,
                m,
                radius,
                0.,
                below_decrease_tolerance,
                last_ratio});
        return !below_decrease_tolerance;
      }

      int  last_reported            = -1;
      /// The optimization stopped on the decrease tolerance.
      bool below_decrease_tolerance = false;
      /// The trust region's radius at the last check (0 for line search).
      double last_radius = 0.;
      /// The decrease of the objective that the next Newton step is
      /// predicted to make (infinite after a step that was not one).
      double predicted_decrease = std::numeric_limits<double>::infinity();
      /// The stop is for the predicted decrease, not the last one's.
      bool by_prediction = false;
      /// The last Newton step's decrease over the squared gradient norm it
      /// started from (0: the last step was none).
      double last_ratio = 0.;

    private:
      ReducedObjective<dim> &                              objective;
      const std::function<void(const IterationReport &)> &report;
      const ROL::Step<double> &                            step;
      const unsigned int                                   offset;
      const double                                         decrease_tolerance;
      const bool                                           one_step_prediction;
      double last_value = std::numeric_limits<double>::infinity();
      double last_gradient_norm = 0.;
    };
  } // namespace



  template <int dim>
  Optimizer<dim>::Optimizer(const Stage2Parameters &parameters,
                            ReducedObjective<dim> & objective)
    : parameters(parameters)
    , objective(objective)
  {
    if (parameters.algorithm == "trust-region Newton-CG")
      objective.set_recycled_pairs(parameters.recycled_pairs);
  }



  template <int dim>
  void
  Optimizer<dim>::set_bounds(const LA::Vector &lower, const LA::Vector &upper)
  {
    this->lower = lower;
    this->upper = upper;
  }



  template <int dim>
  void
  Optimizer<dim>::set_inner_product_weights(const LA::Vector &weights)
  {
    this->weights = std::make_shared<const LA::Vector>(weights);
  }



  template <int dim>
  double
  Optimizer<dim>::gradient_norm(const LA::Vector &gradient) const
  {
    LA::Vector copy = gradient;
    return ParameterVector(Teuchos::rcp(&copy, false), weights, true).norm();
  }



  template <int dim>
  void
  Optimizer<dim>::set_iteration_limits(const unsigned int iterations,
                                       const unsigned int cg_iterations)
  {
    parameters.max_iterations    = iterations;
    parameters.max_cg_iterations = cg_iterations;
  }



  template <int dim>
  double
  Optimizer<dim>::step_norm(const LA::Vector &step) const
  {
    LA::Vector copy = step;
    return ParameterVector(Teuchos::rcp(&copy, false), weights).norm();
  }



  template <int dim>
  OptimizerResult
  Optimizer<dim>::solve(
    LA::Vector &                                        parameters_vector,
    const std::function<void(const IterationReport &)> &monitor,
    const double reference_gradient_norm)
  {
    return run(parameters_vector, monitor, reference_gradient_norm, nullptr);
  }



  template <int dim>
  OptimizerResult
  Optimizer<dim>::resume(
    LA::Vector &                                        parameters_vector,
    const std::function<void(const IterationReport &)> &monitor,
    const OptimizerContinuation &                       from)
  {
    return run(parameters_vector, monitor, from.reference_gradient, &from);
  }



  template <int dim>
  OptimizerResult
  Optimizer<dim>::run(
    LA::Vector &                                        parameters_vector,
    const std::function<void(const IterationReport &)> &monitor,
    const double                  reference_gradient_norm,
    const OptimizerContinuation *from)
  {
    // An interrupted run that was to stop there takes no step.
    if (from != nullptr && from->stopped_by_decrease)
      {
        objective.value(parameters_vector);
        latest_radius = from->radius;
        return {from->iteration, true, "converged to the statistical tolerance"};
      }
    // The stopping test of ROL is absolute: scale by the initial gradient.
    LA::Vector gradient = parameters_vector;
    objective.gradient(parameters_vector, gradient);
    last_initial_gradient         = gradient_norm(gradient);
    const double initial_gradient = reference_gradient_norm > 0. ?
                                      reference_gradient_norm :
                                      last_initial_gradient;

    ROL::ParameterList list;
    auto &            step = list.sublist("Step");
    if (parameters.algorithm == "trust-region Newton-CG")
      {
        step.set("Type", "Trust Region");
        auto &tr = step.sublist("Trust Region");
        tr.set("Subproblem Solver", "Truncated CG");
        if (from != nullptr && from->radius > 0.)
          tr.set("Initial Radius", from->radius);
        else if (from == nullptr && initial_radius > 0.)
          tr.set("Initial Radius", initial_radius);
        list.sublist("General").sublist("Krylov").set(
          "Iteration Limit", static_cast<int>(parameters.max_cg_iterations));
        // Inexact Newton: each subproblem to a relative tolerance only (ROL
        // takes the smaller of the absolute and the relative one).
        list.sublist("General").sublist("Krylov").set("Relative Tolerance",
                                                      parameters.cg_tolerance);
        list.sublist("General").sublist("Krylov").set(
          "Absolute Tolerance", std::numeric_limits<double>::max());
        list.sublist("General").set("Inexact Hessian-Times-A-Vector", false);
      }
    else
      {
        step.set("Type", "Line Search");
        auto &ls = step.sublist("Line Search");
        ls.sublist("Descent Method").set("Type", "Quasi-Newton Method");
        list.sublist("General").sublist("Secant").set("Type",
                                                      "Limited-Memory BFGS");
        list.sublist("General").sublist("Secant").set(
          "Maximum Storage", static_cast<int>(parameters.lbfgs_memory));
      }
    auto &status = list.sublist("Status Test");
    status.set("Gradient Tolerance",
               parameters.gradient_tolerance * initial_gradient);
    status.set("Step Tolerance", parameters.step_tolerance);
    const unsigned int done = (from != nullptr ? from->iteration : 0u);
    status.set("Iteration Limit",
               static_cast<int>(parameters.max_iterations -
                                std::min(done, parameters.max_iterations)));

    auto x = Teuchos::rcp(
      new ParameterVector(Teuchos::rcp(&parameters_vector, false), weights));
    auto g             = x->dual().clone();
    auto rol_objective = Teuchos::rcp(new RolObjective<dim>(objective));
    Teuchos::RCP<ROL::BoundConstraint<double>> bounds;
    if (lower)
      bounds = Teuchos::rcp(new ROL::Bounds<double>(
        Teuchos::rcp(new ParameterVector(Teuchos::rcp(&*lower, false), weights)),
        Teuchos::rcp(new ParameterVector(Teuchos::rcp(&*upper, false), weights))));

    // ROL's algorithm with a step of our own, whose state holds the trust
    // region's radius (for checkpoints); ROL's own stopping test first,
    // then the monitor.
    const std::string step_name = step.get<std::string>("Type");
    ROL::StepFactory<double>       step_factory;
    ROL::StatusTestFactory<double> status_factory;
    const auto rol_step = step_factory.getStep(step_name, list);
    auto       combined = Teuchos::rcp(new ROL::CombinedStatusTest<double>());
    combined->add(status_factory.getStatusTest(step_name, list));
    // The statistical tolerance in units of J.
    const double decrease_tolerance =
      parameters.statistical_tolerance /
      std::max(1u, objective.n_data_total());
    auto monitor_test = Teuchos::rcp(new Monitor<dim>(objective,
                                                      monitor,
                                                      *rol_step,
                                                      done,
                                                      decrease_tolerance,
                                                      one_step_prediction));
    if (from != nullptr)
      monitor_test->last_ratio = from->newton_ratio;
    combined->add(monitor_test);
    auto state = Teuchos::rcp(new ROL::AlgorithmState<double>());
    ROL::Algorithm<double> algorithm(rol_step, combined, state);
    Teuchos::oblackholestream quiet;
    if (bounds)
      algorithm.run(*x, *g, *rol_objective, *bounds, true, quiet);
    else
      algorithm.run(*x, *g, *rol_objective, true, quiet);

    if (monitor_test->last_reported != state->iter)
      {
        state->iterateVec = x;
        monitor_test->check(*state);
      }
    // The monitor has checked the final iterate.
    if (state->iter > 0 && monitor_test->last_radius > 0.)
      latest_radius = monitor_test->last_radius;
    else if (from != nullptr && from->radius > 0.)
      latest_radius = from->radius;
    OptimizerResult result;
    result.iterations = state->iter + done;
    result.converged  = (state->statusFlag == ROL::EXITSTATUS_CONVERGED) ||
                       monitor_test->below_decrease_tolerance;
    if (monitor_test->below_decrease_tolerance)
      result.reason =
        monitor_test->by_prediction ?
          "converged to the statistical tolerance (the next step predicted "
          "to lower N J by " +
            internal::format(monitor_test->predicted_decrease *
                             std::max(1u, objective.n_data_total())) +
            ")" :
          "converged to the statistical tolerance";
    else
      switch (state->statusFlag)
        {
          case ROL::EXITSTATUS_CONVERGED:
            result.reason = "converged";
            break;
          case ROL::EXITSTATUS_MAXITER:
            result.reason = "iteration limit reached";
            break;
          case ROL::EXITSTATUS_STEPTOL:
            result.reason = "step below the step tolerance";
            break;
          case ROL::EXITSTATUS_NAN:
            result.reason = "the objective or gradient became NaN";
            break;
          default:
            result.reason = "stopped";
        }
    // ROL worked on parameters_vector itself; make sure the objective's
    // state is that of the final iterate.
    objective.value(parameters_vector);
    return result;
  }



  template <int dim>
  OptimizerResult
  Optimizer<dim>::evaluate(
    const LA::Vector &                                  parameters_vector,
    const std::function<void(const IterationReport &)> &monitor)
  {
    const double value    = objective.value(parameters_vector);
    LA::Vector   gradient = parameters_vector;
    objective.gradient(parameters_vector, gradient);
    last_initial_gradient = gradient_norm(gradient);
    monitor({0,
             value,
             objective.misfit(),
             objective.regularization_value(),
             last_initial_gradient,
             0.,
             parameters_vector,
             0.});
    OptimizerResult result;
    result.converged = true;
    result.reason    = "evaluated";
    return result;
  }



  template <int dim>
  double
  Optimizer<dim>::initial_gradient_norm() const
  {
    return last_initial_gradient;
  }



  template <int dim>
  void
  Optimizer<dim>::set_initial_radius(const double radius)
  {
    initial_radius = radius;
  }



  template <int dim>
  void
  Optimizer<dim>::set_one_step_prediction(const bool one_step)
  {
    one_step_prediction = one_step;
  }



  template <int dim>
  double
  Optimizer<dim>::last_radius() const
  {
    return latest_radius;
  }



  template class Optimizer<1>;
  template class Optimizer<2>;
  template class Optimizer<3>;
} // namespace mollifem
