#include <mollifem/base/exceptions.h>
#include <mollifem/data/snapshot_sampler.h>
#include <mollifem/inverse/reduced_objective.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace mollifem
{
  /**
   * One experiment of a ReducedObjective: its states over the time steps, the
   * linearizations of its time stepping, and the forward, adjoint and
   * incremental sweeps.
   */
  template <int dim>
  class ReducedObjective<dim>::Experiment
  {
  public:
    Experiment(const ExperimentData<dim> &data, const TimeParameters &time);

    /// Forward sweep with the solver's coefficient: states and predictions;
    /// returns the sum of the squared residuals in units of sigma.
    double
    solve_forward(ObjectiveStatistics &stats);

    /// Start the next steady solves from @p state; if @p as_solution, take
    /// it as the next one's solution.
    void
    adopt_state(const LA::Vector &state, const bool as_solution)
    {
      if (transient)
        return;
      if (states.empty())
        states.push_back(solver.make_ghosted_vector());
      states[0]     = state;
      adopted_state = as_solution;
    }

    /**
     * The backward sweep for the data-space weights @p weights[k][j]
     * (derivative of an objective with respect to the predictions): adds
     * $(dP/dm)^T w$, the product of the transposed Jacobian of the
     * parameter-to-observable map with $w$, to @p gradient.
     */
    void
    adjoint_sweep(const std::vector<std::vector<double>> &weights,
                  ParametricCoefficient<dim> &            coefficient,
                  LA::Vector &                            gradient,
                  ObjectiveStatistics &                   stats);

    /// $(dP/dm)\,\delta m$ for the direction set in @p coefficient: one
    /// incremental forward sweep.
    std::vector<std::vector<double>>
    incremental_sweep(ParametricCoefficient<dim> &coefficient,
                      ObjectiveStatistics &       stats);

    /// $w_{kj} = v_{kj} / (N \sigma^2)$ for @p n_data $= N$.
    std::vector<std::vector<double>>
    weights(const std::vector<std::vector<double>> &v,
            const unsigned int                      n_data) const;

    /// $\sum_{k,j} ((P(m) - d)_{kj} / \sigma)^2$ at the stored state.
    double
    misfit_sum() const;

    /// $P(m) - d$ at the stored state.
    std::vector<std::vector<double>>
    residuals() const;

    /// The stored linearizations belong to another m.
    void
    forget_linearizations();

    unsigned int
    n_data() const;

    const Model<dim> &                     model;
    StateSolver<dim> &                     solver;
    const ObservationOperator<dim> &       observation_operator;
    /// The data as given, and as fitted: less the predictions' correction
    /// (set_prediction_correction()).
    const std::vector<std::vector<double>> measured;
    std::vector<std::vector<double>>       data;
    const double                           sigma;
    const LA::Vector *                     initial_state;
    const TimeParameters                   time;
    const bool                             transient;

    /// The states u^0, ..., u^N (steady: one), ghosted.
    std::vector<LA::Vector>          states;
    /// adopt_state() was called: the next steady solve is done.
    bool                             adopted_state = false;
    std::vector<std::vector<double>> predictions;

  private:
    /// The linearizations of the time stepping at the state of step n.
    enum class Linearization
    {
      /// $A_n = w_s m'(u^n) + w_r F_u(u^n)$ at the implicit weights
      /// $(1/\Delta t, \theta)$; steady: $F_u(u)$.
      implicit,
      implicit_transpose,
      /// $E_{n+1} = \partial R_{n+1}/\partial u^n$: the explicit weights
      /// $(-1/\Delta t, 1 - \theta)$.
      explicit_part,
      explicit_transpose
    };

    /// The matrix of @p kind at the state of step @p n, assembled if it is
    /// not at hand (linear models assemble each kind once per $m$).
    StateMatrix &
    linearization(const Linearization kind, const unsigned int n);

    /// Zero on the constrained entries distributed, as a ghosted vector.
    LA::Vector
    distributed(const LA::Vector &condensed) const;

    std::vector<double> step_times;
    /// The observation sources of step @p n: per step the list of
    /// (snapshot, weight).
    std::vector<std::vector<std::pair<unsigned int, double>>> step_snapshots;

    /// The matrices of each Linearization and the step they were assembled
    /// at (none: not assembled for the current m).
    std::array<StateMatrix, 4>                 matrices;
    std::array<std::optional<unsigned int>, 4> matrix_steps;
  };



  template <int dim>
  ReducedObjective<dim>::Experiment::Experiment(const ExperimentData<dim> &e,
                                                const TimeParameters &time)
    : model(e.model)
    , solver(e.solver)
    , observation_operator(e.observation_operator)
    , measured(e.data)
    , data(e.data)
    , sigma(e.sigma)
    , initial_state(e.initial_state)
    , time(time)
    , transient(e.model.is_transient())
  {
    AssertThrow(sigma > 0., ExcMessage("The misfit needs a noise level > 0."));
    AssertThrow(n_data() > 0, ExcMessage("There are no data to fit."));
    AssertThrow(transient == !e.observation_times.empty(),
                ExcMessage("Transient models need observation times, steady "
                           "ones none."));
    AssertThrow(data.size() ==
                  std::max<std::size_t>(e.observation_times.size(), 1),
                ExcMessage("One data snapshot per observation time."));
    for (const auto &snapshot : data)
      AssertThrow(snapshot.size() == observation_operator.n_points(),
                  ExcMessage("Every snapshot has one value per point."));

    if (transient)
      {
        for (unsigned int n = 0; n <= time.n_steps(); ++n)
          step_times.push_back(time.time(n));
        step_snapshots.resize(step_times.size());
        const auto interpolation =
          time_interpolation(step_times, e.observation_times);
        for (unsigned int k = 0; k < interpolation.size(); ++k)
          for (const auto &[n, weight] : interpolation[k])
            step_snapshots[n].emplace_back(k, weight);
      }
    else
      {
        step_times     = {0.};
        step_snapshots = {{{0u, 1.}}};
      }
    for (auto &matrix : matrices)
      solver.reinit_matrix(matrix);
  }



  template <int dim>
  unsigned int
  ReducedObjective<dim>::Experiment::n_data() const
  {
    return data.empty() ? 0 : data.size() * data.front().size();
  }



  template <int dim>
  void
  ReducedObjective<dim>::Experiment::forget_linearizations()
  {
    for (auto &step : matrix_steps)
      step.reset();
  }



  template <int dim>
  std::vector<std::vector<double>>
  ReducedObjective<dim>::Experiment::residuals() const
  {
    std::vector<std::vector<double>> r = predictions;
    for (unsigned int k = 0; k < data.size(); ++k)
      for (unsigned int j = 0; j < data[k].size(); ++j)
        r[k][j] -= data[k][j];
    return r;
  }



  template <int dim>
  std::vector<std::vector<double>>
  ReducedObjective<dim>::Experiment::weights(
    const std::vector<std::vector<double>> &v,
    const unsigned int                      n_data) const
  {
    std::vector<std::vector<double>> w = v;
    const double factor = 1. / (n_data * sigma * sigma);
    for (auto &snapshot : w)
      for (auto &x : snapshot)
        x *= factor;
    return w;
  }



  template <int dim>
  LA::Vector
  ReducedObjective<dim>::Experiment::distributed(const LA::Vector &condensed) const
  {
    LA::Vector owned = condensed;
    solver.homogeneous_constraints().distribute(owned);
    LA::Vector ghosted = solver.make_ghosted_vector();
    ghosted            = owned;
    return ghosted;
  }



  template <int dim>
  double
  ReducedObjective<dim>::Experiment::solve_forward(ObjectiveStatistics &stats)
  {
    const unsigned int solves_before = solver.statistics().n_linear_solves;
    const unsigned int component     = model.observed_component();
    if (!transient)
      {
        if (states.empty())
          states.push_back(solver.make_ghosted_vector());
        // A state adopted from a checkpoint is the solution already.
        if (adopted_state)
          adopted_state = false;
        else
          {
            if (initial_state)
              states[0] = *initial_state;
            solver.solve_steady(states[0]);
          }
      }
    else
      {
        states.resize(step_times.size());
        solver.solve_transient(time,
                               [&](const unsigned int step,
                                   const double,
                                   const LA::Vector &state) {
                                 states[step] = state;
                               },
                               initial_state);
      }

    predictions.assign(data.size(),
                       std::vector<double>(data.front().size(), 0.));
    for (unsigned int n = 0; n < states.size(); ++n)
      if (!step_snapshots[n].empty())
        {
          const std::vector<double> observed =
            observation_operator.evaluate(solver.dof_handler(),
                                          states[n],
                                          component);
          for (const auto &[k, weight] : step_snapshots[n])
            for (unsigned int j = 0; j < observed.size(); ++j)
              predictions[k][j] += weight * observed[j];
        }

    stats.n_linear_solves +=
      solver.statistics().n_linear_solves - solves_before;
    return misfit_sum();
  }



  template <int dim>
  double
  ReducedObjective<dim>::Experiment::misfit_sum() const
  {
    double sum = 0.;
    for (unsigned int k = 0; k < data.size(); ++k)
      for (unsigned int j = 0; j < data[k].size(); ++j)
        {
          const double r = (predictions[k][j] - data[k][j]) / sigma;
          sum += r * r;
        }
    return sum;
  }



  template <int dim>
  StateMatrix &
  ReducedObjective<dim>::Experiment::linearization(const Linearization kind,
                                       const unsigned int  n)
  {
    Linearization actual = kind;
    if (model.is_symmetric() && kind == Linearization::implicit_transpose)
      actual = Linearization::implicit;
    if (model.is_symmetric() && kind == Linearization::explicit_transpose)
      actual = Linearization::explicit_part;
    const unsigned int index = static_cast<unsigned int>(actual);

    const bool at_hand =
      matrix_steps[index] && (model.is_linear() || *matrix_steps[index] == n);
    if (!at_hand)
      {
        const double dt    = transient ? time.effective_time_step() : 1.;
        const double theta = transient ? time.theta() : 1.;
        const bool   is_implicit = (actual == Linearization::implicit ||
                                  actual == Linearization::implicit_transpose);
        const double storage_weight =
          transient ? (is_implicit ? 1. / dt : -1. / dt) : 0.;
        const double residual_weight = is_implicit ? theta : 1. - theta;
        const bool   transpose = (actual == Linearization::implicit_transpose ||
                                actual == Linearization::explicit_transpose);
        solver.assemble_linearization(states[n],
                                      step_times[n],
                                      storage_weight,
                                      residual_weight,
                                      transpose,
                                      matrices[index]);
        matrix_steps[index] = n;
      }
    return matrices[index];
  }



  template <int dim>
  void
  ReducedObjective<dim>::Experiment::adjoint_sweep(
    const std::vector<std::vector<double>> &weights,
    ParametricCoefficient<dim> &            coefficient,
    LA::Vector &                            gradient,
    ObjectiveStatistics &                   stats)
  {
    const unsigned int component = model.observed_component();
    const auto &       dofs      = solver.dof_handler();
    const auto &       zero      = solver.homogeneous_constraints();
    const double       theta     = transient ? time.theta() : 1.;
    const unsigned int last      = states.size() - 1;
    // Steady: one "step" 0 with A = F_u and nothing before it.
    const unsigned int first = transient ? 1 : 0;

    LA::Vector rhs            = solver.make_owned_vector();
    LA::Vector lambda         = solver.make_owned_vector();
    LA::Vector lambda_next    = solver.make_owned_vector();
    LA::Vector combination    = solver.make_owned_vector();
    LA::Vector product        = solver.make_owned_vector();
    std::vector<double> point_weights(observation_operator.n_points());

    for (unsigned int n = last + 1; n-- > first;)
      {
        rhs = 0.;
        if (!step_snapshots[n].empty())
          {
            std::fill(point_weights.begin(), point_weights.end(), 0.);
            for (const auto &[k, a] : step_snapshots[n])
              for (unsigned int j = 0; j < point_weights.size(); ++j)
                point_weights[j] -= a * weights[k][j];
            observation_operator.add_transpose(
              dofs, point_weights, zero, rhs, component);
          }
        if (n < last)
          {
            linearization(Linearization::explicit_transpose, n)
              .matrix.vmult(product, lambda_next);
            rhs -= product;
          }
        solver.solve(linearization(Linearization::implicit_transpose, n),
                     rhs,
                     lambda);
        ++stats.n_linear_solves;

        // u^n enters R_n (weight theta) and R_{n+1} (weight 1 - theta).
        combination = lambda;
        combination *= theta;
        if (n < last)
          combination.add(1. - theta, lambda_next);
        solver.add_coefficient_gradient(states[n],
                                        distributed(combination),
                                        step_times[n],
                                        1.,
                                        coefficient,
                                        gradient);
        lambda_next = lambda;
      }
    if (transient && theta < 1.)
      {
        combination = lambda_next;
        combination *= 1. - theta;
        solver.add_coefficient_gradient(states[0],
                                        distributed(combination),
                                        step_times[0],
                                        1.,
                                        coefficient,
                                        gradient);
      }
  }



  template <int dim>
  std::vector<std::vector<double>>
  ReducedObjective<dim>::Experiment::incremental_sweep(
    ParametricCoefficient<dim> &coefficient,
    ObjectiveStatistics &       stats)
  {
    const unsigned int component = model.observed_component();
    const double       theta     = transient ? time.theta() : 1.;
    const unsigned int first     = transient ? 1 : 0;

    std::vector<std::vector<double>> result(
      data.size(), std::vector<double>(data.front().size(), 0.));
    LA::Vector rhs      = solver.make_owned_vector();
    LA::Vector du       = solver.make_owned_vector();
    LA::Vector du_old   = solver.make_owned_vector();
    LA::Vector product  = solver.make_owned_vector();
    for (unsigned int n = first; n < states.size(); ++n)
      {
        // A_n du^n = -E_n du^{n-1} - dR_n/dm dm.
        rhs = 0.;
        solver.add_coefficient_derivative(
          states[n], step_times[n], theta, coefficient, rhs);
        if (transient && theta < 1.)
          solver.add_coefficient_derivative(
            states[n - 1], step_times[n - 1], 1. - theta, coefficient, rhs);
        if (transient && n > 1)
          {
            linearization(Linearization::explicit_part, n - 1)
              .matrix.vmult(product, du_old);
            rhs += product;
          }
        rhs *= -1.;
        solver.solve(linearization(Linearization::implicit, n), rhs, du);
        ++stats.n_linear_solves;

        if (!step_snapshots[n].empty())
          {
            const std::vector<double> observed =
              observation_operator.evaluate(solver.dof_handler(),
                                            distributed(du),
                                            component);
            for (const auto &[k, weight] : step_snapshots[n])
              for (unsigned int j = 0; j < observed.size(); ++j)
                result[k][j] += weight * observed[j];
          }
        du_old = du;
      }
    return result;
  }



  template <int dim>
  ReducedObjective<dim>::ReducedObjective(
    const std::vector<ExperimentData<dim>> &experiment_data,
    ParametricCoefficient<dim> &            coefficient,
    const TimeParameters &                  time,
    const ParameterRegularization *             regularization)
    : coefficient(coefficient)
    , regularization(regularization)
  {
    AssertThrow(!experiment_data.empty(),
                ExcMessage("An inversion needs at least one experiment."));
    for (const auto &e : experiment_data)
      {
        AssertThrow(e.model.is_transient() ==
                      experiment_data.front().model.is_transient(),
                    ExcMessage("The experiments must be all steady or all "
                               "transient."));
        experiments.push_back(std::make_unique<Experiment>(e, time));
        n_data += experiments.back()->n_data();
      }
    current_m = coefficient.make_parameter_vector();
  }



  template <int dim>
  ReducedObjective<dim>::ReducedObjective(
    const Model<dim> &                      model,
    StateSolver<dim> &                      solver,
    ParametricCoefficient<dim> &            coefficient,
    const ObservationOperator<dim> &        observation_operator,
    const std::vector<double> &             observation_times,
    const std::vector<std::vector<double>> &data,
    const double                            sigma,
    const TimeParameters &                  time,
    const ParameterRegularization *             regularization)
    : ReducedObjective(std::vector<ExperimentData<dim>>{{model,
                                                         solver,
                                                         observation_operator,
                                                         observation_times,
                                                         data,
                                                         sigma}},
                       coefficient,
                       time,
                       regularization)
  {}



  template <int dim>
  ReducedObjective<dim>::~ReducedObjective() = default;



  template <int dim>
  void
  ReducedObjective<dim>::swap_with_previous()
  {
    std::swap(current_m, previous->m);
    std::swap(current_gradient, previous->gradient);
    std::swap(current_misfit, previous->misfit);
    std::swap(current_regularization, previous->regularization);
    for (unsigned int e = 0; e < experiments.size(); ++e)
      {
        std::swap(experiments[e]->states, previous->states[e]);
        std::swap(experiments[e]->predictions, previous->predictions[e]);
        experiments[e]->forget_linearizations();
      }
    coefficient.set_parameters(current_m);
    for (auto &experiment : experiments)
      experiment->solver.set_coefficient(coefficient);
  }



  template <int dim>
  bool
  ReducedObjective<dim>::update(const LA::Vector &m)
  {
    if (have_state && LA::equal(m, current_m))
      return std::isfinite(current_misfit);
    // Steady models keep the last point too: the optimizer returns to it
    // after every rejected trial step, and then finds its very state (a
    // new solve would start from the trial's state and differ from it in
    // the last digits, which a resumed run could not reproduce).
    const bool steady = std::none_of(experiments.begin(),
                                     experiments.end(),
                                     [](const auto &e) { return e->transient; });
    if (steady && previous && LA::equal(m, previous->m))
      {
        swap_with_previous();
        return std::isfinite(current_misfit);
      }
    const bool had_point = have_state;
    if (steady && have_state)
      {
        // The solves below start from the current states: copy them.
        if (!previous)
          previous.emplace();
        previous->m              = current_m;
        previous->gradient       = current_gradient;
        previous->misfit         = current_misfit;
        previous->regularization = current_regularization;
        previous->states.resize(experiments.size());
        previous->predictions.resize(experiments.size());
        for (unsigned int e = 0; e < experiments.size(); ++e)
          {
            previous->states[e]      = experiments[e]->states;
            previous->predictions[e] = experiments[e]->predictions;
          }
      }
    current_m = m;
    current_gradient.reset();
    coefficient.set_parameters(m);
    const auto         start         = std::chrono::steady_clock::now();
    const unsigned int solves_before = stats.n_linear_solves;
    double             sum           = 0.;
    bool               solved        = true;
    try
      {
        for (auto &experiment : experiments)
          {
            experiment->solver.set_coefficient(coefficient);
            experiment->forget_linearizations();
            sum += experiment->solve_forward(stats);
          }
      }
    catch (const ExcSolveFailed &)
      {
        // A trial point far from the last one can be out of the state
        // solver's reach. Its objective is NaN, which makes the trust region
        // reject the step and shrink. The first point has nothing to fall
        // back on.
        if (!had_point)
          throw;
        solved = false;
        sum    = std::numeric_limits<double>::quiet_NaN();
        ++stats.n_failed_forward;
      }
    current_misfit = 0.5 * sum / n_data;
    current_regularization =
      regularization ? regularization->value(coefficient.parameters()) : 0.;
    ++stats.n_forward;
    if (stats.solves_per_forward == 0)
      {
        stats.solves_per_forward = stats.n_linear_solves - solves_before;
        stats.forward_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
      }
    have_state = true;
    // The next trial starts from the last point's states, not from what
    // the failed solves left: bring them back (the failed point is then
    // the previous one, with its NaN). A transient solve starts from the
    // initial state anyway.
    if (!solved && steady)
      swap_with_previous();
    return solved;
  }



  template <int dim>
  double
  ReducedObjective<dim>::value(const LA::Vector &m)
  {
    if (!update(m))
      return std::numeric_limits<double>::quiet_NaN();
    return current_misfit + current_regularization -
           (linear_term.size() > 0 ? linear_term * m : 0.);
  }



  template <int dim>
  void
  ReducedObjective<dim>::gradient(const LA::Vector &m, LA::Vector &gradient)
  {
    AssertThrow(update(m),
                ExcSolveFailed("A derivative was asked for at a point where "
                               "the state solve did not converge."));
    if (current_gradient)
      {
        gradient = *current_gradient;
        if (linear_term.size() > 0)
          gradient -= linear_term;
        return;
      }
    gradient = 0.;
    for (auto &experiment : experiments)
      experiment->adjoint_sweep(experiment->weights(experiment->residuals(),
                                                    n_data),
                                coefficient,
                                gradient,
                                stats);
    coefficient.finish_gradient(gradient);
    ++stats.n_adjoint;
    if (regularization)
      {
        LA::Vector regularization_gradient = coefficient.make_parameter_vector();
        regularization->gradient(coefficient.parameters(),
                                 regularization_gradient);
        gradient += regularization_gradient;
      }
    current_gradient = gradient;
    if (linear_term.size() > 0)
      gradient -= linear_term;
  }



  template <int dim>
  void
  ReducedObjective<dim>::gauss_newton_vmult(const LA::Vector &m,
                                            const LA::Vector &direction,
                                            LA::Vector &      result)
  {
    AssertThrow(update(m),
                ExcSolveFailed("A derivative was asked for at a point where "
                               "the state solve did not converge."));
    move_recycled_pairs_to(m);
    coefficient.set_direction(direction);
    result = 0.;
    for (auto &experiment : experiments)
      experiment->adjoint_sweep(
        experiment->weights(experiment->incremental_sweep(coefficient, stats),
                            n_data),
        coefficient,
        result,
        stats);
    coefficient.finish_gradient(result);
    ++stats.n_incremental;
    if (regularization)
      {
        LA::Vector regularization_product = coefficient.make_parameter_vector();
        regularization->hessian_vmult(coefficient.parameters(),
                                      direction,
                                      regularization_product);
        result += regularization_product;
      }
    if (recycled)
      recycled->add_product(direction, result);
  }



  template <int dim>
  void
  ReducedObjective<dim>::precondition(const LA::Vector &m,
                                      const LA::Vector &direction,
                                      LA::Vector &      result)
  {
    const auto initial = [this](const LA::Vector &v, LA::Vector &r) {
      if (regularization)
        regularization->apply_preconditioner_inverse(v, r);
      else
        r = v;
    };
    if (!recycled)
      {
        initial(direction, result);
        return;
      }
    move_recycled_pairs_to(m);
    recycled->apply(direction, result, initial);
  }



  template <int dim>
  void
  ReducedObjective<dim>::set_recycled_pairs(const unsigned int n)
  {
    if (n == 0)
      recycled.reset();
    else
      recycled = std::make_unique<RecycledPreconditioner>(n);
  }



  template <int dim>
  void
  ReducedObjective<dim>::move_recycled_pairs_to(const LA::Vector &m)
  {
    if (recycled && regularization)
      recycled->move_to(m,
                        regularization->weight(),
                        [&](const LA::Vector &v, LA::Vector &result) {
                          regularization->hessian_vmult(m, v, result);
                        });
    else if (recycled)
      recycled->move_to(m, 0.);
  }



  template <int dim>
  void
  ReducedObjective<dim>::forget_recycled_pairs()
  {
    if (recycled)
      recycled->clear();
  }



  template <int dim>
  bool
  ReducedObjective<dim>::preconditioner_diagonal(LA::Vector &diagonal) const
  {
    return regularization != nullptr &&
           regularization->preconditioner_diagonal(diagonal);
  }



  template <int dim>
  bool
  ReducedObjective<dim>::regularization_hessian_vmult(
    const LA::Vector &m,
    const LA::Vector &direction,
    LA::Vector &      result) const
  {
    if (regularization == nullptr)
      return false;
    regularization->hessian_vmult(m, direction, result);
    return true;
  }



  template <int dim>
  void
  ReducedObjective<dim>::set_linear_term(const LA::Vector &v)
  {
    if (v.size() == 0)
      linear_term.clear();
    else
      linear_term = v;
  }



  template <int dim>
  void
  ReducedObjective<dim>::set_prediction_correction(
    const std::vector<std::vector<std::vector<double>>> &error)
  {
    AssertThrow(error.empty() || error.size() == experiments.size(),
                ExcDimensionMismatch(error.size(), experiments.size()));
    for (unsigned int e = 0; e < experiments.size(); ++e)
      {
        Experiment &experiment = *experiments[e];
        experiment.data        = experiment.measured;
        if (error.empty())
          continue;
        AssertThrow(error[e].size() == experiment.data.size(),
                    ExcDimensionMismatch(error[e].size(),
                                         experiment.data.size()));
        // Fitting P(m) - error to d is fitting P(m) to d + error.
        for (unsigned int k = 0; k < experiment.data.size(); ++k)
          {
            AssertDimension(error[e][k].size(), experiment.data[k].size());
            for (unsigned int j = 0; j < experiment.data[k].size(); ++j)
              experiment.data[k][j] += error[e][k][j];
          }
      }
    // The stored states stay: only the misfit and the gradient change.
    current_gradient.reset();
    previous.reset();
    if (have_state)
      {
        double sum = 0.;
        for (const auto &experiment : experiments)
          sum += experiment->misfit_sum();
        current_misfit = 0.5 * sum / n_data;
      }
  }



  template <int dim>
  void
  ReducedObjective<dim>::invalidate()
  {
    have_state = false;
    current_gradient.reset();
    previous.reset();
  }



  template <int dim>
  std::vector<LA::Vector>
  ReducedObjective<dim>::start_states() const
  {
    std::vector<LA::Vector> states;
    for (const auto &experiment : experiments)
      {
        if (experiment->transient || experiment->states.empty())
          return {};
        states.push_back(experiment->states[0]);
      }
    return states;
  }



  template <int dim>
  void
  ReducedObjective<dim>::set_start_states(const std::vector<LA::Vector> &states)
  {
    take_states(states, false);
  }



  template <int dim>
  void
  ReducedObjective<dim>::adopt_states(const std::vector<LA::Vector> &states)
  {
    take_states(states, true);
  }



  template <int dim>
  void
  ReducedObjective<dim>::take_states(const std::vector<LA::Vector> &states,
                                     const bool                     as_solutions)
  {
    AssertDimension(states.size(), experiments.size());
    for (unsigned int e = 0; e < experiments.size(); ++e)
      experiments[e]->adopt_state(states[e], as_solutions);
    invalidate();
  }



  template <int dim>
  double
  ReducedObjective<dim>::misfit() const
  {
    return current_misfit;
  }



  template <int dim>
  double
  ReducedObjective<dim>::regularization_value() const
  {
    return current_regularization;
  }



  template <int dim>
  unsigned int
  ReducedObjective<dim>::n_experiments() const
  {
    return experiments.size();
  }



  template <int dim>
  unsigned int
  ReducedObjective<dim>::n_data_total() const
  {
    return n_data;
  }



  template <int dim>
  const std::vector<std::vector<double>> &
  ReducedObjective<dim>::predictions(const unsigned int e) const
  {
    AssertIndexRange(e, experiments.size());
    return experiments[e]->predictions;
  }



  template <int dim>
  const LA::Vector &
  ReducedObjective<dim>::final_state(const unsigned int e) const
  {
    Assert(have_state, ExcMessage("Evaluate the objective first."));
    AssertIndexRange(e, experiments.size());
    return experiments[e]->states.back();
  }



  template <int dim>
  const ObjectiveStatistics &
  ReducedObjective<dim>::statistics() const
  {
    return stats;
  }



  template class ReducedObjective<1>;
  template class ReducedObjective<2>;
  template class ReducedObjective<3>;
} // namespace mollifem
