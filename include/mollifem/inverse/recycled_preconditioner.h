#ifndef mollifem_inverse_recycled_preconditioner_h
#define mollifem_inverse_recycled_preconditioner_h

#include <mollifem/base/linear_algebra.h>

#include <functional>
#include <utility>
#include <vector>

namespace mollifem
{
  /**
   * A preconditioner for the Newton-CG subproblems of a sequence of nearby
   * points, recycled from the Hessian-vector products of the last one
   * (Morales and Nocedal, "Automatic preconditioning by limited memory
   * quasi-Newton updating", SIAM J. Optim. 10, 2000): the pairs
   * $(s_i, y_i = H s_i)$ of the truncated CG at the point before define the
   * limited-memory BFGS inverse with the initial matrix $P^{-1}$, the
   * regularization's preconditioner. The search directions of a CG solve are
   * H-conjugate, so that this inverse is exact on their Krylov space for the
   * Hessian they were made with; the next point's CG then needs products
   * mainly for what changed and for the part of the spectrum that solve did
   * not resolve.
   *
   * A new regularization weight (the discrepancy principle's next trial)
   * keeps the pairs, corrected to the new Hessian: $y_i' = y_i + (R' - R)
   * s_i$, where the regularization's Hessian scales with its weight. They
   * are exact products of the new Hessian, though their directions are no
   * longer conjugate for it.
   *
   * The preconditioner stays fixed during a CG solve: the products made at
   * a point become active only when the next point asks for preconditioning
   * or products.
   */
  class RecycledPreconditioner
  {
  public:
    /// Function computing result = A v.
    using Operator = std::function<void(const LA::Vector &, LA::Vector &)>;

    /// @param max_pairs How many pairs of the last point are used (the
    ///   latest ones).
    explicit RecycledPreconditioner(const unsigned int max_pairs);

    /**
     * Called before any product or preconditioning at @p m with the
     * regularization weight @p weight: if @p m is another point than the
     * pending products', they become the active pairs. If @p weight is
     * another one, every pair's product gains the change of the
     * regularization's Hessian, computed from @p regularization_product
     * (v -> R v at the new weight; the regularization must be proportional
     * to its weight), and the products at @p m become the active pairs at
     * once; without @p regularization_product (or with a weight 0) all
     * pairs are dropped.
     */
    void
    move_to(const LA::Vector &m,
            const double      weight,
            const Operator &  regularization_product = Operator());

    /// A product $y = H s$ made at the current point.
    void
    add_product(const LA::Vector &s, const LA::Vector &y);

    /// @p result = the limited-memory inverse applied to @p v, with
    /// @p initial_inverse as its initial matrix.
    void
    apply(const LA::Vector &v,
          LA::Vector &      result,
          const Operator &  initial_inverse) const;

    /// Drop all pairs, active and pending.
    void
    clear();

    /// The number of active pairs.
    unsigned int
    n_active() const;

    /// The active pair @p i (oldest first): its direction and product.
    std::pair<const LA::Vector &, const LA::Vector &>
    active_pair(const unsigned int i) const;

  private:
    const unsigned int max_pairs;

    LA::Vector point;
    bool       have_point = false;
    double     weight     = 0.;

    /// The products at the current point.
    std::vector<LA::Vector> pending_s, pending_y;

    /// The active pairs and 1 / (y_i, s_i), oldest first.
    std::vector<LA::Vector> s, y;
    std::vector<double>     rho;

    /// The pending products become the active pairs (those without
    /// positive curvature dropped).
    void
    activate_pending();

    /// 1 / (y_i, s_i) of the active pairs (those without positive
    /// curvature dropped).
    void
    rho_from_pairs();
  };
} // namespace mollifem

#endif
