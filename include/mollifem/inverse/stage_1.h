#ifndef mollifem_inverse_stage_1_h
#define mollifem_inverse_stage_1_h

#include <deal.II/base/point.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/inverse/equation_error.h>
#include <mollifem/models/model.h>
#include <mollifem/mollifier/mollifier_parameters.h>
#include <mollifem/mollifier/time_convolution.h>

#include <memory>
#include <vector>

namespace mollifem
{
  /**
   * The equations of stage 1 for a model with a strong form
   * (Model::equation_error_operators() and Model::equation_error()): at
   * every target of @p equation_error, the model's $a q + b\cdot\nabla q =
   * g$ from the mollified fields @p fields (one per operator, with the rows
   * of EquationError::targets()), the mollified rate @p rate (null for
   * steady data) and the @p time of the snapshot, weighted by @p weight.
   */
  template <int dim>
  void
  add_model_equations(const Model<dim> &             model,
                      const std::vector<LA::Vector> &fields,
                      const LA::Vector *             rate,
                      const double                   time,
                      EquationError<dim> &           equation_error,
                      const double                   weight = 1.);

  /**
   * Stage 1 from scattered steady data, for a program that calls the
   * library: mollify @p values, observed at @p points (the same on every
   * rank, each standing for the volume @p volumes of the domain; the
   * moment correction makes the result exact on polynomials whatever they
   * are), with the kernel of @p mollifier and the model's operators, to the
   * targets of @p equation_error, and add the model's equations there
   * (add_model_equations()). Then EquationError::solve() gives the
   * coefficient. A radius too small for the data throws. Collective.
   */
  template <int dim>
  void
  add_mollified_equations(const Model<dim> &             model,
                          const MollifierParameters &    mollifier,
                          const std::vector<Point<dim>> &points,
                          const std::vector<double> &    volumes,
                          const std::vector<double> &    values,
                          EquationError<dim> &           equation_error,
                          const double                   weight = 1.);

  /**
   * The time mollifier of stage 1 for transient data: d/dt at the snapshot
   * @p times themselves (at least two, strictly increasing) with the kernel
   * and boundary treatment of @p mollifier, the automatic reproduction
   * degree (the spatial one is not meant for a few snapshots) and the radius
   * @p time_radius [time] (0: four times the mean spacing of the times).
   * Throws for a radius the snapshots cannot support.
   */
  std::unique_ptr<TimeConvolution>
  make_time_mollifier(const MollifierParameters &mollifier,
                      const std::vector<double> &times,
                      const double               time_radius = 0.);

  /**
   * Stage 1 from scattered transient data, for a program that calls the
   * library: @p snapshots[s] holds the values at @p points at time
   * @p times[s] (at least two snapshots). Every snapshot is mollified in
   * space as in the steady add_mollified_equations(), its rate d/dt comes
   * from the mollified values of all snapshots through the time mollifier
   * (make_time_mollifier() with @p time_radius), and the model's equations
   * at that time are added with the rate, each snapshot with @p weight.
   * The model's equation_error_operators() must begin with the identity
   * (the mollified value whose rate is taken); with the automatic
   * reproduction degree that value reproduces linear fields only, so a
   * field curved in space biases the rate by O(delta^2): a higher
   * MollifierParameters::reproduction_degree removes that bias.
   * Collective.
   */
  template <int dim>
  void
  add_mollified_equations(const Model<dim> &                      model,
                          const MollifierParameters &             mollifier,
                          const std::vector<Point<dim>> &         points,
                          const std::vector<double> &             volumes,
                          const std::vector<double> &             times,
                          const std::vector<std::vector<double>> &snapshots,
                          EquationError<dim> &                    equation_error,
                          const double                            weight = 1.,
                          const double time_radius = 0.);
} // namespace mollifem

#endif
