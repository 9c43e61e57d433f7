#ifndef mollifem_mollifier_differential_operator_h
#define mollifem_mollifier_differential_operator_h

#include <deal.II/base/point.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * A multi-index $\alpha = (\alpha_1, \dots, \alpha_d)$: the partial
   * derivative $D^\alpha = \partial_1^{\alpha_1} \cdots
   * \partial_d^{\alpha_d}$, or the monomial $z^\alpha$.
   */
  template <int dim>
  using MultiIndex = std::array<unsigned int, dim>;

  /// $|\alpha| = \sum_i \alpha_i$.
  template <int dim>
  unsigned int
  order(const MultiIndex<dim> &alpha);

  /// $\alpha! = \prod_i \alpha_i!$.
  template <int dim>
  double
  factorial(const MultiIndex<dim> &alpha);

  /**
   * All multi-indices of order at most @p degree, sorted by order and then
   * lexicographically: the monomial basis of the polynomials of total degree
   * at most @p degree, $\binom{degree + d}{d}$ entries.
   */
  template <int dim>
  std::vector<MultiIndex<dim>>
  multi_indices_up_to(const unsigned int degree);

  /**
   * A linear differential operator with constant coefficients,
   * $L = \sum_k c_k D^{\alpha_k}$, of order at most 4: the identity
   * (smoothed values), one partial derivative, the Laplacian, the
   * bi-Laplacian, or any combination.
   *
   * Operators are named in parameter files and output:
   * `value`, `d/dx`, `d/dy`, `d/dz`, `d2/dxdy` (any two axes), `d3/dxdxdy`
   * and so on up to order 4 (axes listed after `d<n>/`, each prefixed by
   * `d`), `laplacian`, `bilaplacian`. The axes of a 1D problem are `x` (or
   * `t` when the coordinate is time).
   */
  template <int dim>
  class DifferentialOperator
  {
  public:
    /// The identity.
    DifferentialOperator();

    /// One term $c D^\alpha$.
    DifferentialOperator(const MultiIndex<dim> &alpha,
                         const double           coefficient = 1.);

    /// The operator named @p name (see the class documentation); throws
    /// with the list of valid names for anything else.
    static DifferentialOperator
    parse(const std::string &name);

    static DifferentialOperator
    identity();

    /// $\partial / \partial x_i$.
    static DifferentialOperator
    partial(const unsigned int i);

    /// $\Delta = \sum_i \partial_i^2$.
    static DifferentialOperator
    laplacian();

    /// $\Delta^2 = \sum_{i,j} \partial_i^2 \partial_j^2$.
    static DifferentialOperator
    bilaplacian();

    /// The gradient's components d/dx, d/dy, ...
    static std::vector<DifferentialOperator>
    gradient();

    /// The upper triangle of the Hessian: d2/dxdx, d2/dxdy, ...
    static std::vector<DifferentialOperator>
    hessian();

    /// Highest order of a term.
    unsigned int
    order() const;

    /// The identity: one term of order 0 with coefficient 1.
    bool
    is_identity() const;

    const std::vector<std::pair<double, MultiIndex<dim>>> &
    terms() const;

    /// The name given to parse(), or a generated one.
    const std::string &
    name() const;

  private:
    std::vector<std::pair<double, MultiIndex<dim>>> term_list;
    std::string                                     operator_name;
  };
} // namespace mollifem

#endif
