#ifndef mollifem_mollifier_kernel_h
#define mollifem_mollifier_kernel_h

#include <deal.II/base/point.h>

#include <mollifem/base/registry.h>
#include <mollifem/mollifier/differential_operator.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The radial profile of a mollifier: $\eta(z) = C_d\, g(|z|^2)$ on the
   * unit ball, zero outside. A profile supplies $g$ and its derivatives
   * $g^{(k)}(s)$, $k \le 4$, for $0 \le s < 1$; Kernel turns them into
   * partial derivatives of $\eta$ in any dimension and computes the
   * normalization $C_d$ for unit mass.
   *
   * Profiles are plugins (KernelRegistry): each registers a name and a
   * description and is selected by `Mollifier/Kernel`.
   */
  class KernelProfile
  {
  public:
    virtual ~KernelProfile() = default;

    /// $g^{(k)}(s)$ for k = 0, ..., 4 and $0 \le s < 1$.
    virtual void
    derivatives(const double s, std::array<double, 5> &g) const = 0;
  };

  /// The registry of kernel profiles ("bump", "polynomial").
  using KernelRegistry = Registry<KernelProfile>;

  /**
   * Friedrichs' bump, $g(s) = \exp(-1/(1-s))$: infinitely smooth, all
   * derivatives vanish at the edge of the support.
   * With $t = 1/(1-s)$, $g^{(k)}(s) = P_k(t)\,e^{-t}$ where
   * $P_0 = 1$ and $P_{k+1}(t) = t^2 (P_k'(t) - P_k(t))$.
   */
  class BumpProfile : public KernelProfile
  {
  public:
    BumpProfile();

    void
    derivatives(const double s, std::array<double, 5> &g) const override;

  private:
    /// Coefficients of $P_k$, k = 0..4 (degree at most 8).
    std::array<std::array<double, 9>, 5> coefficients;
  };

  /**
   * The compactly supported polynomial $g(s) = (1-s)^p$ (default p = 6):
   * $p - 1$ times continuously differentiable in $s$ across the edge of the
   * support, so that derivatives of $\eta$ up to order 4 are continuous for
   * $p \ge 5$.
   */
  class PolynomialProfile : public KernelProfile
  {
  public:
    explicit PolynomialProfile(const unsigned int exponent = 6);

    void
    derivatives(const double s, std::array<double, 5> &g) const override;

  private:
    const unsigned int exponent;
  };

  /**
   * A mollifier kernel of unit radius and unit mass in dim dimensions,
   * $\eta(z) = C_d\, g(|z|^2)$, and its analytic partial derivatives up to
   * order 4.
   *
   * Partial derivatives of a radial function: for $f(z) = g(|z|^2)$,
   * $D^\alpha f(z) = \sum_k q_{\alpha,k}(z)\, g^{(k)}(|z|^2)$, where
   * $\sum_k q_{\alpha,k}(z) \lambda^k = \prod_i H_{\alpha_i}(z_i;\lambda)$ and
   * $H_n(x;\lambda)$ is defined by
   * $\partial_x^n e^{\lambda x^2} = H_n(x;\lambda) e^{\lambda x^2}$, i.e.
   * $H_0 = 1$, $H_{n+1} = \partial_x H_n + 2\lambda x H_n$. Replacing
   * $\lambda^k e^{\lambda s}$ by $g^{(k)}(s)$ is exact because both sides
   * follow from the chain rule alone.
   *
   * The scaled kernel of radii $h = (h_1, \dots, h_d)$ (a diagonal, possibly
   * anisotropic bandwidth) is $\eta_h(z) = \eta(z/h) / \prod_i h_i$ with
   * $D^\alpha \eta_h(z) = (D^\alpha \eta)(z/h) / (\prod_i h_i \prod_i
   * h_i^{\alpha_i})$.
   */
  template <int dim>
  class Kernel
  {
  public:
    explicit Kernel(std::shared_ptr<const KernelProfile> profile);

    /// $C_d$: $\int_{|z|<1} \eta(z)\,dz = 1$.
    double
    normalization() const;

    /// $\eta(z)$ of the unit kernel.
    double
    value(const Point<dim> &z) const;

    /// $D^\alpha \eta(z)$ of the unit kernel, $|\alpha| \le 4$.
    double
    derivative(const Point<dim> &z, const MultiIndex<dim> &alpha) const;

    /// $(L\eta_h)(z)$ for the kernel of radii @p h.
    double
    apply(const DifferentialOperator<dim> &L,
          const Point<dim> &               z,
          const Point<dim> &               h) const;

    /// $\eta_h(z)$ for the kernel of radii @p h.
    double
    value(const Point<dim> &z, const Point<dim> &h) const;

    /**
     * The scaled kernel and derivative kernels at once, at the offset
     * $x - y = h \odot u$ given by its unit form @p u:
     * values[0] = $\eta_h$, values[1 + k] = $(L_k \eta_h)$ for the
     * operators @p operators. Returns false (and leaves @p values alone) if
     * $|u| \ge 1$, outside the support.
     */
    bool
    evaluate(const Point<dim> &                             u,
             const Point<dim> &                             h,
             const std::vector<DifferentialOperator<dim>> &operators,
             double *                                       values) const;

  private:
    /// $D^\alpha$ of $g(|z|^2)$ (without $C_d$) given $g^{(k)}(|z|^2)$.
    static double
    radial_derivative(const Point<dim> &           z,
                      const MultiIndex<dim> &      alpha,
                      const std::array<double, 5> &g);

    std::shared_ptr<const KernelProfile> profile;
    double                               constant;
  };

  /// The profile selected by name, e.g. "bump"; throws with the list of
  /// known names otherwise.
  std::shared_ptr<const KernelProfile>
  make_kernel_profile(const std::string &name);
} // namespace mollifem

#endif
