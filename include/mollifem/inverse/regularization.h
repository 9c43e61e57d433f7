#ifndef mollifem_inverse_regularization_h
#define mollifem_inverse_regularization_h

#include <deal.II/base/smartpointer.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/mapping_q1.h>

#include <deal.II/lac/affine_constraints.h>

#include <deal.II/lac/trilinos_precondition.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/base/registry.h>

#include <memory>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * A regularization $R(m)$ of a parameter vector, whatever the
   * representation behind it: what the reduced objective and the optimizer
   * need.
   */
  class ParameterRegularization
  {
  public:
    virtual ~ParameterRegularization() = default;

    /// $R(m)$; @p parameters owned (constraints already distributed).
    virtual double
    value(const LA::Vector &parameters) const = 0;

    /// @p gradient = $\nabla R(m)$ (owned layout).
    virtual void
    gradient(const LA::Vector &parameters, LA::Vector &gradient) const = 0;

    /// @p result = $\nabla^2 R(m)\,v$ (owned layout).
    virtual void
    hessian_vmult(const LA::Vector &parameters,
                  const LA::Vector &direction,
                  LA::Vector &      result) const = 0;

    /// @p result = $P^{-1} v$ for an SPD approximation $P$ of the Hessian,
    /// the preconditioner of Newton-CG.
    virtual void
    apply_preconditioner_inverse(const LA::Vector &direction,
                                 LA::Vector &      result) const = 0;

    /**
     * The diagonal of the preconditioner $P$ (apply_preconditioner_inverse())
     * into @p diagonal (owned layout), for a Jacobi smoothing step
     * (MultilevelOptimizer); returns false if this regularization has none
     * (the default).
     */
    virtual bool
    preconditioner_diagonal(LA::Vector &diagonal) const
    {
      (void)diagonal;
      return false;
    }

    virtual const std::string &
    type() const = 0;

    /// $\alpha$.
    virtual double
    weight() const = 0;

    /// Change the weight (for a discrepancy-principle search).
    virtual void
    set_weight(const double weight) = 0;
  };



  /**
   * Weight decay of the weights $\theta$ of a neural field:
   * $R = \frac{\alpha}{2}|\theta - \theta_0|^2$ (Euclidean) with the
   * initial weights $\theta_0$ ("L2"), or $R = 0$ ("none"). Its Hessian
   * $\alpha I$ is its own preconditioner (the identity for $\alpha = 0$).
   */
  class WeightDecay : public ParameterRegularization
  {
  public:
    WeightDecay(const std::string &type,
                const double       weight,
                const LA::Vector & reference);

    double
    value(const LA::Vector &parameters) const override;

    void
    gradient(const LA::Vector &parameters, LA::Vector &gradient) const override;

    void
    hessian_vmult(const LA::Vector &parameters,
                  const LA::Vector &direction,
                  LA::Vector &      result) const override;

    void
    apply_preconditioner_inverse(const LA::Vector &direction,
                                 LA::Vector &      result) const override;

    const std::string &
    type() const override;

    double
    weight() const override;

    void
    set_weight(const double weight) override;

  private:
    const std::string kind;
    double            alpha;
    const LA::Vector  reference;
  };



  /**
   * Regularization $R(m)$ of a parameter field $m_h$ given by a finite
   * element space (the parameters of FEFieldCoefficient; with the log
   * transform, $m = \log q$ is regularized):
   * - "L2": $R = \frac{\alpha}{2}\int_\Omega (m - m_0)^2\,dx$,
   * - "H1": $R = \frac{\alpha}{2}\int_\Omega |\nabla m|^2\,dx$,
   * - "TV": $R = \alpha\int_\Omega \sqrt{|\nabla m|^2 + \varepsilon^2}\,dx$
   *   (total variation, smoothed by $\varepsilon$),
   * - "H2": $R = \frac{\alpha}{2}\left(\int_\Omega |\nabla m|^2\,dx +
   *   \ell^2 \sum_{i} w_i (\Delta_h m)_i^2\right)$ with the discrete
   *   Laplacian $\Delta_h m = -W^{-1} K m$ ($K$ the stiffness matrix, $W$ the
   *   lumped mass matrix with entries $w_i$) at the nodes $i$ inside the
   *   domain (not on its boundary, not constrained): the H1 seminorm plus
   *   $\ell^2$ times the squared Laplacian. Smoother than H1 (its spectrum
   *   grows like $k^2 + \ell^2 k^4$), and, because the Laplacian is left free
   *   at the boundary, without the boundary condition that a bi-Laplacian
   *   prior with natural boundary conditions imposes on $\partial_n m$,
   * - "none": $R = 0$,
   * with its gradient and Hessian-vector product with respect to the
   * parameter vector. Gradients and products are condensed by the
   * constraints of the space (zero in constrained entries), like the
   * gradients of ParametricCoefficient.
   */
  template <int dim>
  class Regularization : public ParameterRegularization
  {
  public:
    /**
     * @param dof_handler The FE space of the parameters m.
     * @param constraints Its hanging-node constraints.
     * @param type "none", "L2", "H1", "H2" or "TV".
     * @param weight $\alpha \ge 0$.
     * @param reference $m_0$ of "L2".
     * @param smoothing $\varepsilon > 0$ of "TV".
     * @param length $\ell > 0$ of "H2".
     */
    Regularization(const DoFHandler<dim> &          dof_handler,
                   const AffineConstraints<double> &constraints,
                   const std::string &              type,
                   const double                     weight,
                   const double                     reference,
                   const double                     smoothing,
                   const double                     length = 0.);

    /// $R(m)$; @p parameters owned (constraints already distributed).
    double
    value(const LA::Vector &parameters) const override;

    /// @p gradient = $\nabla R(m)$ (owned layout).
    void
    gradient(const LA::Vector &parameters, LA::Vector &gradient) const override;

    /// @p result = $\nabla^2 R(m)\,v$ (owned layout).
    void
    hessian_vmult(const LA::Vector &parameters,
                  const LA::Vector &direction,
                  LA::Vector &      result) const override;

    /**
     * @p result = $P^{-1} v$ with the symmetric positive definite
     * approximation $P = a K + b M$ of $\nabla^2 R$ ($K$: stiffness, $M$:
     * mass matrix of the space): $a = \alpha$ for "H1", $\alpha/\varepsilon$
     * for "TV" (its Hessian at $\nabla m = 0$), 0 otherwise;
     * $b = \alpha$ for "L2", $a/L^2$ for "H1" and "TV" ($L$ the diameter of
     * the domain), 1 for "none". For "H2" $P = \alpha\ell^2 (K + cW) W^{-1}
     * (K + cW) = \alpha (K + \ell^2 K W^{-1} K + W/(4\ell^2))$ with
     * $c = 1/(2\ell^2)$: the Hessian with the Laplacian also at the boundary
     * nodes and a small mass term, inverted exactly by two solves with
     * $K + cW$. Preconditions Newton-CG, where the
     * regularization dominates the Hessian on the modes the data do not
     * see. @p direction is condensed (zero in constrained entries), and so is
     * the result. Solved by CG with AMG to a relative 1e-10.
     */
    void
    apply_preconditioner_inverse(const LA::Vector &direction,
                                 LA::Vector &      result) const override;

    /// The diagonal of the preconditioner's matrix (for "H2": of
    /// $\alpha\ell^2 (K + cW) W^{-1} (K + cW)$, approximately).
    bool
    preconditioner_diagonal(LA::Vector &diagonal) const override;

    const std::string &
    type() const override;

    double
    weight() const override;

    void
    set_weight(const double weight) override;

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

    /// Give @p matrix the sparsity pattern of the space (with constraints).
    void
    reinit_matrix(LA::SparseMatrix &matrix) const;

    /// Assemble a K + b M ($K$ stiffness, $M$ mass matrix) into @p matrix
    /// (its sparsity pattern set).
    void
    assemble_matrix(const double a, const double b, LA::SparseMatrix &matrix) const;

    /// Assemble stiffness, lumped_weights and interior of "H2".
    void
    setup_laplacian() const;

    /**
     * "H2": the value of $\frac{\ell^2}{2}\sum_i (Km)_i^2/w_i$ over the
     * interior nodes and, if @p result is given, adds its gradient
     * $\ell^2 K D W^{-1} K m$ (or, with @p direction, its Hessian times the
     * direction) to @p result; both without the factor $\alpha$.
     */
    double
    laplacian_term(const LA::Vector &parameters,
                   const LA::Vector *direction,
                   LA::Vector *      result) const;

    /// Solve (preconditioner_matrix) x = b by CG with AMG to 1e-10.
    void
    solve_preconditioner_matrix(const LA::Vector &b, LA::Vector &x) const;

    SmartPointer<const DoFHandler<dim>>           dof_handler;
    SmartPointer<const AffineConstraints<double>> constraints;
    const std::string                             kind;
    double                                        alpha;
    const double                                  reference;
    const double                                  epsilon;
    const double                                  length;

    mutable LA::SparseMatrix                                   preconditioner_matrix;
    mutable std::unique_ptr<TrilinosWrappers::PreconditionAMG> preconditioner_amg;
    /// The weight the preconditioner was built for.
    mutable double                                             preconditioner_alpha = -1.;

    /// "H2": the stiffness matrix K (condensed), the lumped mass W, and
    /// 1/w_i at interior nodes, 0 elsewhere.
    mutable LA::SparseMatrix stiffness;
    mutable LA::Vector       lumped_weights;
    mutable LA::Vector       interior_inverse_weights;
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
  /**
   * A regularization of the FE field (or of the FE part of a hybrid) that
   * registers by name, also from outside the library: `Inverse problem/Stage
   * 2/Regularization = name` selects it, beside the built-in none, L2, H1,
   * H2 and TV. The registry builds the plugin from the parsed parameters
   * (it declares its own, in a subsection of its own), and the plugin makes
   * the regularization on the coefficient's FE space when stage 2 is set up
   * (again on every mesh of an adaptive inversion). Register with
   * MOLLIFEM_REGISTER_REGULARIZATION(Class, "name", "description"), where
   * Class<dim> has a static declare_parameters(ParameterHandler &) and a
   * constructor from ParameterHandler &
   * (doc/examples/advection_diffusion/mollifem_plus.cc).
   */
  template <int dim>
  class RegularizationPlugin
  {
  public:
    virtual ~RegularizationPlugin() = default;

    /**
     * $R$ on the FE space @p dof_handler (scalar) with its hanging-node
     * @p constraints, with the weight $\alpha$ = @p weight. With the log
     * transform, $R$ acts on $m = \log q$.
     */
    virtual std::unique_ptr<ParameterRegularization>
    make(const DoFHandler<dim> &          dof_handler,
         const AffineConstraints<double> &constraints,
         const double                     weight) const = 0;
  };

  /// The registry of regularizations for dimension @p dim.
  template <int dim>
  using RegularizationRegistry = Registry<RegularizationPlugin<dim>>;

/// Register a regularization plugin class template for dim = 1, 2, 3.
#define MOLLIFEM_REGISTER_REGULARIZATION(classname, name, description) \
  MOLLIFEM_REGISTER_PLUGIN(regularization,                           \
                           ::mollifem::RegularizationPlugin,         \
                           classname,                                \
                           name,                                     \
                           description)
} // namespace mollifem

#endif
