#ifndef mollifem_inverse_recycled_preconditioner_h
#define mollifem_inverse_recycled_preconditioner_h

#include <mollifem/base/linear_algebra.h>

#include <functional>
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
   * The pairs belong to one regularization weight: a new weight (the
   * discrepancy principle's next trial) starts without pairs, since the
   * directions are not conjugate for the new Hessian and such pairs can
   * make CG slower than the regularization's preconditioner alone.
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
     * pending products', they become the active pairs; if @p weight is
     * another one, all pairs are dropped.
     */
    void
    move_to(const LA::Vector &m, const double weight);

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
  };
} // namespace mollifem

#endif
