#ifndef mollifem_coefficient_fe_field_coefficient_h
#define mollifem_coefficient_fe_field_coefficient_h

#include <deal.II/base/function.h>
#include <deal.II/base/index_set.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/lac/affine_constraints.h>

#include <mollifem/coefficient/coefficient.h>

#include <memory>

namespace mollifem
{
  /**
   * A coefficient represented by a continuous finite element field
   * $m_h = \sum_i m_i \phi_i$ (FE_Q of a chosen degree) on a triangulation,
   * the parameter mesh: $q = m_h$, or $q = \exp(m_h)$ with the log transform,
   * which keeps $q$ positive for any parameter vector $m$.
   *
   * The parameter mesh is the triangulation the field is built on; the cells
   * passed to values() must belong to it.
   */
  template <int dim>
  class FEFieldCoefficient : public CoefficientField<dim>
  {
  public:
    FEFieldCoefficient(const Triangulation<dim> &triangulation,
                       const unsigned int        degree,
                       const bool                log_transform);

    /**
     * (Re)distribute the degrees of freedom on the current mesh; the
     * parameters are reset to zero.
     */
    void
    setup();

    const DoFHandler<dim> &
    dof_handler() const;

    /// Hanging-node constraints of the parameter space.
    const AffineConstraints<double> &
    constraints() const;

    /// Set the parameter vector $m$ (owned or ghosted layout).
    void
    set_parameters(const LA::Vector &parameters);

    /// The parameter vector $m$ (locally owned entries).
    const LA::Vector &
    parameters() const;

    /**
     * Set $m$ so that $q$ interpolates @p function at the support points
     * ($m = \log f$ there with the log transform, which needs $f > 0$).
     */
    void
    interpolate_function(const Function<dim> &function);

    bool
    uses_log_transform() const;

    void
    values(const FEValues<dim> &fe_values,
           std::vector<double> &values) const override;

    std::string
    description() const override;

  private:
    SmartPointer<const Triangulation<dim>> triangulation;
    FE_Q<dim>                              fe;
    DoFHandler<dim>                        dofs;
    AffineConstraints<double>              hanging_node_constraints;
    LA::Vector                             owned_parameters;
    LA::Vector                             ghosted_parameters;
    const bool                             log_transform;

    /// Evaluation objects for the last quadrature seen by values().
    mutable std::unique_ptr<FEValues<dim>> fe_values_cache;
    mutable std::vector<double>            m_values;
  };
} // namespace mollifem

#endif
