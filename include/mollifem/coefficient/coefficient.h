#ifndef mollifem_coefficient_coefficient_h
#define mollifem_coefficient_coefficient_h

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_values.h>

#include <mollifem/base/linear_algebra.h>

#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * A scalar coefficient field $q(x)$ of a model: a conductivity, a reaction
   * rate, a forcing. This is the interface through which models see the
   * unknown of an inverse problem, whatever represents it (an expression, a
   * finite element field, later a neural network).
   *
   * @note Implementations may cache evaluation objects and are not
   * thread-safe: evaluate from one thread per MPI rank.
   */
  template <int dim>
  class CoefficientField
  {
  public:
    virtual ~CoefficientField() = default;

    /**
     * The values of $q$ at the quadrature points of @p fe_values, which has
     * been reinitialized on a locally owned cell (and has the flag
     * update_quadrature_points).
     */
    virtual void
    values(const FEValues<dim> &fe_values, std::vector<double> &values) const = 0;

    /**
     * A one-line description for logs: "expression 1+x", "FE field Q1, 289
     * unknowns".
     */
    virtual std::string
    description() const = 0;

    /**
     * Interpolate $q$ at the support points of the scalar finite element of
     * @p dof_handler into @p owned (a vector with the locally owned
     * entries), for output or comparisons. Collective.
     */
    void
    interpolate(const DoFHandler<dim> &dof_handler, LA::Vector &owned) const;
  };



  /**
   * A coefficient field $q = q(m)$ determined by a parameter vector $m$, the
   * unknown of an inversion: besides the values of $q$ it provides the
   * derivatives that adjoint methods need at the quadrature points of the
   * state's cells,
   * - the Jacobian-vector product $\delta q = (\partial q/\partial m)\,
   *   \delta m$ (for incremental solves and Hessians), and
   * - the vector-Jacobian product $g \mathrel{+}= (\partial q /
   *   \partial m)^T w$, which maps sensitivities $w_k$ of an objective with
   *   respect to the values $q(x_k)$ to its gradient with respect to $m$.
   *
   * The parameter vector is a distributed vector (LA::Vector), whatever the
   * representation: the vector of an optimizer.
   */
  template <int dim>
  class ParametricCoefficient : public CoefficientField<dim>
  {
  public:
    /// A zero parameter vector with the parallel layout of $m$.
    virtual LA::Vector
    make_parameter_vector() const = 0;

    /// Set $m$; representations with constraints enforce them.
    virtual void
    set_parameters(const LA::Vector &parameters) = 0;

    /// The parameter vector $m$.
    virtual const LA::Vector &
    parameters() const = 0;

    /// Set the direction $\delta m$ of direction_values().
    virtual void
    set_direction(const LA::Vector &direction) = 0;

    /// $\delta q = (\partial q/\partial m)\,\delta m$ at the quadrature
    /// points of @p fe_values (as for values()).
    virtual void
    direction_values(const FEValues<dim> &fe_values,
                     std::vector<double> &values) const = 0;

    /**
     * $g \mathrel{+}= (\partial q/\partial m)^T w$, where @p weights holds
     * one $w_k$ per quadrature point of @p fe_values. @p gradient has the
     * layout of make_parameter_vector(); contributions to entries of other
     * ranks are allowed: finish with gradient.compress(VectorOperation::add).
     * Representations with constraints add through them, so that the
     * gradient is the one with respect to the free parameters (zero in
     * constrained entries). Once every contribution is in, call
     * finish_gradient().
     */
    virtual void
    add_gradient(const FEValues<dim> &      fe_values,
                 const std::vector<double> &weights,
                 LA::Vector &               gradient) const = 0;

    /**
     * Complete a gradient summed by add_gradient() (and compressed):
     * representations that compute $q$ from $m$ through a linear map $C$
     * before evaluating it (a mollified field) accumulate with respect to
     * $Cm$ and apply $C^T$ here, once per gradient rather than once per
     * cell. The default does nothing.
     */
    virtual void
    finish_gradient(LA::Vector &gradient) const;

  };
} // namespace mollifem

#endif
