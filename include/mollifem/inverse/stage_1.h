#ifndef mollifem_inverse_stage_1_h
#define mollifem_inverse_stage_1_h

#include <deal.II/base/point.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/inverse/equation_error.h>
#include <mollifem/models/model.h>
#include <mollifem/mollifier/mollifier_parameters.h>

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
} // namespace mollifem

#endif
