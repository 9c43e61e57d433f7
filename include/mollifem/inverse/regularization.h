#ifndef mollifem_inverse_regularization_h
#define mollifem_inverse_regularization_h

#include <deal.II/base/smartpointer.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/mapping_q1.h>

#include <deal.II/lac/affine_constraints.h>

#include <deal.II/lac/trilinos_precondition.h>

#include <mollifem/base/linear_algebra.h>

#include <memory>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * Regularization $R(m)$ of a parameter field $m_h$ given by a finite
   * element space (the parameters of FEFieldCoefficient; with the log
   * transform, $m = \log q$ is regularized):
   * - "L2": $R = \frac{\alpha}{2}\int_\Omega (m - m_0)^2\,dx$,
   * - "H1": $R = \frac{\alpha}{2}\int_\Omega |\nabla m|^2\,dx$,
   * - "TV": $R = \alpha\int_\Omega \sqrt{|\nabla m|^2 + \varepsilon^2}\,dx$
   *   (total variation, smoothed by $\varepsilon$),
   * - "none": $R = 0$,
   * with its gradient and Hessian-vector product with respect to the
   * parameter vector. Gradients and products are condensed by the
   * constraints of the space (zero in constrained entries), like the
   * gradients of ParametricCoefficient.
   */
  template <int dim>
  class Regularization
  {
  public:
    /**
     * @param type "none", "L2", "H1" or "TV".
     * @param weight $\alpha \ge 0$.
     * @param reference $m_0$ of "L2".
     * @param smoothing $\varepsilon > 0$ of "TV".
     */
    Regularization(const DoFHandler<dim> &          dof_handler,
                   const AffineConstraints<double> &constraints,
                   const std::string &              type,
                   const double                     weight,
                   const double                     reference,
                   const double                     smoothing);

    /// $R(m)$; @p parameters owned (constraints already distributed).
    double
    value(const LA::Vector &parameters) const;

    /// @p gradient = $\nabla R(m)$ (owned layout).
    void
    gradient(const LA::Vector &parameters, LA::Vector &gradient) const;

    /// @p result = $\nabla^2 R(m)\,v$ (owned layout).
    void
    hessian_vmult(const LA::Vector &parameters,
                  const LA::Vector &direction,
                  LA::Vector &      result) const;

    /**
     * @p result = $P^{-1} v$ with the symmetric positive definite
     * approximation $P = a K + b M$ of $\nabla^2 R$ ($K$: stiffness, $M$:
     * mass matrix of the space): $a = \alpha$ for "H1", $\alpha/\varepsilon$
     * for "TV" (its Hessian at $\nabla m = 0$), 0 otherwise;
     * $b = \alpha$ for "L2", $a/L^2$ for "H1" and "TV" ($L$ the diameter of
     * the domain), 1 for "none". Preconditions Newton-CG, where the
     * regularization dominates the Hessian on the modes the data do not
     * see. @p direction is condensed (zero in constrained entries), and so is
     * the result. Solved by CG with AMG to a relative 1e-10.
     */
    void
    apply_preconditioner_inverse(const LA::Vector &direction,
                                 LA::Vector &      result) const;

    const std::string &
    type() const;

    double
    weight() const;

    /// Change the weight (for a discrepancy-principle search).
    void
    set_weight(const double weight);

  private:
    /**
     * The integrand and its derivatives at one point, as functions of the
     * value $m$ and gradient $g$: $\rho(m, g)$, $\partial\rho/\partial m$,
     * $\partial\rho/\partial g$, and the second derivatives applied to a
     * direction $(v, \nabla v)$.
     */
    void
    integrand(const double          m,
              const Tensor<1, dim> &g,
              const double          v,
              const Tensor<1, dim> &grad_v,
              double &              rho,
              double &              d_m,
              Tensor<1, dim> &      d_g,
              double &              h_m,
              Tensor<1, dim> &      h_g) const;

    /// The loop shared by value(), gradient() and hessian_vmult().
    double
    assemble(const LA::Vector &parameters,
             const LA::Vector *direction,
             LA::Vector *      result,
             const bool        hessian) const;

    /// Assemble preconditioner_matrix and its AMG.
    void
    setup_preconditioner() const;

    SmartPointer<const DoFHandler<dim>>           dof_handler;
    SmartPointer<const AffineConstraints<double>> constraints;
    const std::string                             kind;
    double                                        alpha;
    const double                                  reference;
    const double                                  epsilon;

    mutable LA::SparseMatrix                                   preconditioner_matrix;
    mutable std::unique_ptr<TrilinosWrappers::PreconditionAMG> preconditioner_amg;
    /// The weight the preconditioner was built for.
    mutable double                                             preconditioner_alpha = -1.;
  };

  /**
   * The lumped mass matrix of the space of @p dof_handler: w_i = the integral
   * of the i-th shape function, condensed by @p constraints (a constrained
   * entry's share goes to the entries it depends on; constrained entries,
   * which the optimizer does not move, get the mean weight so that every
   * weight is positive). The weights of ParameterVector's inner product.
   */
  template <int dim>
  LA::Vector
  lumped_mass(const DoFHandler<dim> &dof_handler,
              const AffineConstraints<double> &constraints);
} // namespace mollifem

#endif
