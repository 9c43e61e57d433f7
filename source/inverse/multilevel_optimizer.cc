#include <mollifem/base/exceptions.h>
#include <mollifem/base/format.h>
#include <mollifem/inverse/multilevel_optimizer.h>

#include <cmath>
#include <limits>

namespace mollifem
{
  template <int dim>
  FieldTransfer<dim>::FieldTransfer(const FEFieldCoefficient<dim> &fine,
                                    const FEFieldCoefficient<dim> &coarse)
    : FieldTransfer(std::vector<const FEFieldCoefficient<dim> *>{&fine,
                                                                  &coarse})
  {}



  template <int dim>
  FieldTransfer<dim>::FieldTransfer(
    const std::vector<const FEFieldCoefficient<dim> *> &fields)
    : fields(fields)
  {
    Assert(fields.size() >= 2, ExcInternalError());
    for (unsigned int i = 0; i + 1 < fields.size(); ++i)
      {
        const FEFieldCoefficient<dim> &fine   = *fields[i];
        const FEFieldCoefficient<dim> &coarse = *fields[i + 1];
        AssertThrow(fine.dof_handler().get_fe() ==
                      coarse.dof_handler().get_fe(),
                    ExcMessage("The fields of all levels need the same "
                               "element."));
        transfers.push_back(std::make_unique<MGTwoLevelTransfer<dim, Vector>>());
        transfers.back()->reinit_geometric_transfer(fine.dof_handler(),
                                                    coarse.dof_handler(),
                                                    fine.constraints(),
                                                    coarse.constraints());
      }
  }



  template <int dim>
  typename FieldTransfer<dim>::Vector
  FieldTransfer<dim>::convert(const FEFieldCoefficient<dim> &field,
                              const LA::Vector &             v)
  {
    const IndexSet &owned = field.dof_handler().locally_owned_dofs();
    Vector          result(owned, field.dof_handler().get_communicator());
    for (const auto i : owned)
      result[i] = v[i];
    return result;
  }



  template <int dim>
  LA::Vector
  FieldTransfer<dim>::convert(const FEFieldCoefficient<dim> &field,
                              const Vector &                 v)
  {
    LA::Vector result = field.make_parameter_vector();
    for (const auto i : result.locally_owned_elements())
      result[i] = v[i];
    result.compress(VectorOperation::insert);
    return result;
  }



  template <int dim>
  LA::Vector
  FieldTransfer<dim>::apply(
    const FEFieldCoefficient<dim> &                      from,
    const FEFieldCoefficient<dim> &                      to,
    const LA::Vector &                                   v,
    const std::function<void(Vector &, const Vector &)> &operation)
  {
    Vector result(to.dof_handler().locally_owned_dofs(),
                  to.dof_handler().get_communicator());
    operation(result, convert(from, v));
    return convert(to, result);
  }



  template <int dim>
  void
  FieldTransfer<dim>::prolongate(const LA::Vector &coarse_vector,
                                 LA::Vector &      fine_vector) const
  {
    fine_vector = coarse_vector;
    for (unsigned int i = transfers.size(); i-- > 0;)
      {
        fine_vector = apply(*fields[i + 1],
                            *fields[i],
                            fine_vector,
                            [&](Vector &to, const Vector &from) {
                              transfers[i]->prolongate_and_add(to, from);
                            });
        // The hanging nodes of the finer mesh follow their masters.
        fields[i]->constraints().distribute(fine_vector);
      }
  }



  template <int dim>
  void
  FieldTransfer<dim>::restrict_dual(const LA::Vector &fine_vector,
                                    LA::Vector &      coarse_vector) const
  {
    coarse_vector = fine_vector;
    for (unsigned int i = 0; i < transfers.size(); ++i)
      {
        // The transpose of a step of prolongate(): a dual vector's entries
        // at hanging nodes go to their masters first (distribute()'s
        // transpose), which may be owned by another rank.
        LA::Vector condensed = fields[i]->make_parameter_vector();
        {
          const IndexSet &owned = condensed.locally_owned_elements();
          std::vector<types::global_dof_index> indices(owned.begin(),
                                                       owned.end());
          dealii::Vector<double>               values(indices.size());
          for (unsigned int k = 0; k < indices.size(); ++k)
            values[k] = coarse_vector[indices[k]];
          fields[i]->constraints().distribute_local_to_global(values,
                                                              indices,
                                                              condensed);
          condensed.compress(VectorOperation::add);
        }
        coarse_vector = apply(*fields[i],
                              *fields[i + 1],
                              condensed,
                              [&](Vector &to, const Vector &from) {
                                transfers[i]->restrict_and_add(to, from);
                              });
      }
  }



  template <int dim>
  void
  FieldTransfer<dim>::interpolate(const LA::Vector &fine_vector,
                                  LA::Vector &      coarse_vector) const
  {
    coarse_vector = fine_vector;
    for (unsigned int i = 0; i < transfers.size(); ++i)
      {
        coarse_vector = apply(*fields[i],
                              *fields[i + 1],
                              coarse_vector,
                              [&](Vector &to, const Vector &from) {
                                transfers[i]->interpolate(to, from);
                              });
        fields[i + 1]->constraints().distribute(coarse_vector);
      }
  }



  template <int dim>
  MultilevelOptimizer<dim>::MultilevelOptimizer(
    const Stage2Parameters &                            parameters,
    ReducedObjective<dim> &                             fine,
    const FEFieldCoefficient<dim> &                     fine_field,
    const Optimizer<dim> &                              fine_optimizer,
    ReducedObjective<dim> &                             coarse,
    const FEFieldCoefficient<dim> &                     coarse_field,
    Optimizer<dim> &                                    coarse_optimizer,
    const std::vector<const FEFieldCoefficient<dim> *> &between)
    : parameters(parameters)
    , fine(fine)
    , fine_optimizer(fine_optimizer)
    , coarse(coarse)
    , coarse_field(coarse_field)
    , coarse_optimizer(coarse_optimizer)
    , transfer([&]() {
      std::vector<const FEFieldCoefficient<dim> *> fields{&fine_field};
      fields.insert(fields.end(), between.begin(), between.end());
      fields.push_back(&coarse_field);
      return fields;
    }())
  {
    coarse_optimizer.set_iteration_limits(
      parameters.multilevel_coarse_iterations, parameters.max_cg_iterations);
  }



  template <int dim>
  OptimizerResult
  MultilevelOptimizer<dim>::solve(
    LA::Vector &                                        m,
    const std::function<void(const IterationReport &)> &monitor,
    const double                                        reference_gradient_norm,
    const OptimizerContinuation *                       from)
  {
    const double n_data = std::max(1u, fine.n_data_total());
    LA::Vector   gradient = m;
    double       value    = fine.value(m);
    AssertThrow(std::isfinite(value),
                ExcSolveFailed("The state solve did not converge at the "
                               "initial guess of MG/OPT."));
    fine.gradient(m, gradient);
    double       gradient_norm = fine_optimizer.gradient_norm(gradient);
    const double reference =
      from != nullptr ? from->reference_gradient :
      reference_gradient_norm > 0. ? reference_gradient_norm :
                                     gradient_norm;
    const auto report = [&](const unsigned int cycle,
                            const double       step_norm,
                            const double       decrease,
                            const bool         stops) {
      monitor({cycle,
               value,
               fine.misfit(),
               fine.regularization_value(),
               gradient_norm,
               step_norm,
               m,
               0.,
               decrease,
               stops});
    };
    if (from == nullptr)
      report(0, 0., 0., false);

    OptimizerResult result;
    result.iterations          = from != nullptr ? from->iteration : 0;
    // An interrupted run that was to stop there takes no cycle.
    if (from != nullptr && from->stopped_by_decrease)
      {
        result.converged = true;
        result.reason    = "converged to the statistical tolerance";
        return result;
      }
    LA::Vector      coarse_start = coarse_field.make_parameter_vector();
    LA::Vector      coarse_gradient = coarse_start;
    LA::Vector      restricted      = coarse_start;
    LA::Vector      correction      = m;
    LA::Vector      diagonal        = m;
    const bool      smooths = parameters.multilevel_smoothing &&
                         fine.preconditioner_diagonal(diagonal);
    // The smoothing step (none without smoothing) and the gradient after it.
    LA::Vector smoothing = m;
    smoothing            = 0.;
    LA::Vector smoothed_gradient = m;
    // N J's decrease in the last cycle (none before the first).
    double last_decrease = from != nullptr ? from->last_decrease : 0.;
    for (unsigned int cycle = (from != nullptr ? from->iteration + 1 : 1);;
         ++cycle)
      {
        if (gradient_norm <= parameters.gradient_tolerance * reference)
          {
            result.converged = true;
            result.reason    = "converged";
            break;
          }
        if (cycle > parameters.multilevel_cycles)
          {
            result.reason = "iteration limit reached";
            break;
          }
        // Smoothing, taken with the coarse correction in one line search:
        // the part of a damped Jacobi step the coarse field does not
        // represent, and the gradient after it estimated without a solve.
        double smoothing_decrease = 0.;
        if (smooths)
          smoothing_decrease = n_data * rough_smoothing_step(m,
                                                             gradient,
                                                             diagonal,
                                                             smoothing,
                                                             smoothed_gradient);
        else
          smoothed_gradient = gradient;

        // The coarse model, first-order coherent at the restricted iterate
        // (the smoothing step vanishes there) with the smoothed gradient.
        transfer.interpolate(m, coarse_start);
        coarse.set_linear_term(LA::Vector());
        coarse.gradient(coarse_start, coarse_gradient);
        transfer.restrict_dual(smoothed_gradient, restricted);
        coarse_gradient -= restricted;
        coarse.set_linear_term(coarse_gradient);
        const double model_start = coarse.value(coarse_start);
        LA::Vector   coarse_m    = coarse_start;
        coarse_optimizer.solve(coarse_m, [](const IterationReport &) {});

        // The cycle's predicted decrease of N J: the coarse model's, and
        // with smoothing an upper bound of the smoothing step's. Below the
        // statistical tolerance, with the rest it predicts at the
        // contraction to the last cycle's decrease, the cycle is not taken:
        // the data could not tell what it would change.
        if (parameters.statistical_tolerance > 0. && last_decrease > 0.)
          {
            const double coarse_decrease =
              std::max(0., (model_start - coarse.value(coarse_m)) * n_data);
            const double predicted = coarse_decrease + smoothing_decrease;
            const double rho       = predicted / last_decrease;
            if (predicted < parameters.statistical_tolerance && rho < 1. &&
                predicted / (1. - rho) < parameters.statistical_tolerance)
              {
                result.converged = true;
                result.reason =
                  "converged to the statistical tolerance (cycle " +
                  std::to_string(cycle) + " predicted to lower N J by " +
                  internal::format(predicted) + ": coarse model " +
                  internal::format(coarse_decrease) + ", smoothing at most " +
                  internal::format(smoothing_decrease) + ")";
                break;
              }
          }
        result.iterations = cycle;
        coarse_m -= coarse_start;
        transfer.prolongate(coarse_m, correction);
        correction += smoothing;

        // Backtracking on the fine objective.
        double alpha = 0.;
        if (!line_search(m, correction, value, gradient, alpha))
          {
            result.reason = gradient * correction < 0. ?
                              "the line search found no decrease" :
                              "the cycle's step is no descent direction";
            break;
          }
        m.add(alpha, correction);
        const double step_norm = alpha * fine_optimizer.step_norm(correction);
        const double start_value = value;
        value                    = fine.value(m);
        fine.gradient(m, gradient);
        gradient_norm = fine_optimizer.gradient_norm(gradient);
        // The cycles converge linearly, not superlinearly as Newton's
        // method: a cycle's decrease d below the tolerance does not bound
        // the rest. With the contraction rho = d / d_last of the last two
        // cycles the rest is about d rho / (1 - rho); stop when that is
        // below the tolerance too (not while the decreases grow).
        const double decrease = (start_value - value) * n_data;
        const double rho =
          last_decrease > 0. ? std::max(decrease, 0.) / last_decrease : 1.;
        const bool stops = parameters.statistical_tolerance > 0. &&
                           decrease < parameters.statistical_tolerance &&
                           rho < 1. &&
                           decrease * rho / (1. - rho) <
                             parameters.statistical_tolerance;
        report(cycle, step_norm, decrease, stops);
        if (stops)
          {
            result.converged = true;
            result.reason    = "converged to the statistical tolerance";
            break;
          }
        last_decrease = decrease;
      }
    coarse.set_linear_term(LA::Vector());
    return result;
  }



  template <int dim>
  double
  MultilevelOptimizer<dim>::rough_smoothing_step(
    const LA::Vector &m,
    const LA::Vector &gradient,
    const LA::Vector &diagonal,
    LA::Vector &      step,
    LA::Vector &      smoothed_gradient) const
  {
    // (No step where the diagonal is not positive, such as a hanging node
    // with zero lumped weight under "H2".)
    for (const auto i : step.locally_owned_elements())
      step[i] = diagonal[i] > 0. ? -2. / 3. * gradient[i] / diagonal[i] : 0.;
    step.compress(VectorOperation::insert);
    // Less its interpolant on the coarse field, which the coarse
    // correction makes: the two steps add up without repeating a part.
    LA::Vector coarse_part = coarse_field.make_parameter_vector();
    LA::Vector represented = m;
    transfer.interpolate(step, coarse_part);
    transfer.prolongate(coarse_part, represented);
    step -= represented;

    smoothed_gradient = gradient;
    LA::Vector curvature = m;
    if (!fine.regularization_hessian_vmult(m, step, curvature))
      return std::numeric_limits<double>::infinity();
    smoothed_gradient += curvature;
    const double slope = gradient * step;
    const double sRs   = step * curvature;
    if (slope == 0.)
      return 0.;
    return sRs > 0. ? slope * slope / (2. * sRs) :
                      std::numeric_limits<double>::infinity();
  }



  template <int dim>
  bool
  MultilevelOptimizer<dim>::line_search(const LA::Vector &m,
                                        const LA::Vector &direction,
                                        const double      value,
                                        const LA::Vector &gradient,
                                        double &          alpha)
  {
    const double slope = gradient * direction;
    if (!(slope < 0.))
      return false;
    LA::Vector trial = m;
    alpha            = 1.;
    for (unsigned int t = 0; t < 6; ++t)
      {
        trial = m;
        trial.add(alpha, direction);
        const double v = fine.value(trial);
        if (std::isfinite(v) && v <= value + 1e-4 * alpha * slope)
          return true;
        // The minimizer of the quadratic through value, slope and v, kept
        // within [0.1, 0.5] of the step tried (a failed solve: 0.5).
        const double curvature = (v - value - alpha * slope) / (alpha * alpha);
        const double next =
          std::isfinite(v) && curvature > 0. ? -slope / (2. * curvature) :
                                               0.5 * alpha;
        alpha = std::min(0.5 * alpha, std::max(0.1 * alpha, next));
      }
    // Leave the objective at the iterate.
    fine.value(m);
    return false;
  }



  template class FieldTransfer<1>;
  template class FieldTransfer<2>;
  template class FieldTransfer<3>;
  template class MultilevelOptimizer<1>;
  template class MultilevelOptimizer<2>;
  template class MultilevelOptimizer<3>;
} // namespace mollifem
