// The recycled preconditioner of Newton-CG (RecycledPreconditioner), on a
// model of a Gauss-Newton Hessian H = K + alpha D: a misfit part K of rank 6
// and a diagonal "regularization" D, whose inverse is the initial matrix.
// Preconditioned CG on H to a relative residual of 1e-6, recording the
// products of its directions:
// - with D^-1 alone, CG needs 7 iterations (rank 6 plus one);
// - the products made at a point are not used at that point, only from the
//   next one on (the preconditioner stays fixed during a CG solve);
// - the limited-memory inverse of the pairs of CG's (conjugate) directions
//   maps H s_i to s_i for every pair, and is H^-1 itself, since the
//   directions span what K adds to D: CG then needs one iteration;
// - a new weight alpha without the regularization's product drops all
//   pairs (pairs of the weight 2 completed for 0.5 made CG slower than D^-1
//   alone: 10 iterations against 7);
// - with it, the pairs are corrected to the new Hessian, H' s_i = H s_i +
//   (alpha' - alpha) D s_i: exact products of H' (checked), though their
//   directions are not H'-conjugate. The iterations are printed, not
//   judged: on this rank-6 model, where the misfit part dominates the
//   pairs' directions, the corrected pairs take 8, the uncorrected ones 3
//   and D^-1 alone 7; on bench/heat's discrepancy search the corrected
//   pairs made 106 products, the uncorrected 109 and none 147
//   (doc/inverse.md);
// - with fewer pairs than directions, only the latest are kept;
// - a pair without positive curvature is dropped.
// The vectors are distributed over the MPI ranks.

#include <deal.II/base/index_set.h>

#include <mollifem/inverse/recycled_preconditioner.h>

#include <algorithm>
#include <cmath>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  constexpr unsigned int n    = 60;
  constexpr unsigned int rank = 6;

  /// The test's distributed vectors: a contiguous block per rank.
  LA::Vector
  make_vector()
  {
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    const unsigned int r       = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
    IndexSet           owned(n);
    owned.add_range(r * n / n_ranks, (r + 1) * n / n_ranks);
    return LA::Vector(owned, MPI_COMM_WORLD);
  }

  /// Entry i of a vector filled by f(i).
  template <typename F>
  LA::Vector
  filled(const F &f)
  {
    LA::Vector v = make_vector();
    for (const auto i : v.locally_owned_elements())
      v[i] = f(i);
    v.compress(VectorOperation::insert);
    return v;
  }

  struct Hessian
  {
    Hessian()
      : diagonal(filled([](const unsigned int i) { return 1. + 0.1 * i; }))
    {
      for (unsigned int k = 0; k < rank; ++k)
        modes.push_back(filled([k](const unsigned int i) {
          return 10. * (k + 1) * std::sin((k + 1) * 0.37 * (i + 1)) +
                 (i % (k + 2) == 0 ? 1. : 0.);
        }));
    }

    /// z = K v.
    void
    misfit(const LA::Vector &v, LA::Vector &z) const
    {
      z = 0.;
      for (const auto &mode : modes)
        z.add(mode * v, mode);
    }

    /// r = alpha D v.
    void
    regularization(const LA::Vector &v, LA::Vector &r) const
    {
      r = v;
      r.scale(diagonal);
      r *= alpha;
    }

    /// r = (alpha D)^-1 v.
    void
    regularization_inverse(const LA::Vector &v, LA::Vector &r) const
    {
      r = v;
      for (const auto i : r.locally_owned_elements())
        r[i] /= alpha * diagonal[i];
      r.compress(VectorOperation::insert);
    }

    void
    vmult(const LA::Vector &v, LA::Vector &r) const
    {
      LA::Vector z = v;
      misfit(v, z);
      regularization(v, r);
      r += z;
    }

    LA::Vector              diagonal;
    std::vector<LA::Vector> modes;
    double                  alpha = 1.;
  };

  /**
   * Preconditioned CG for H x = b from 0 to the relative residual 1e-6;
   * records every direction's product with @p recycled (add_product(),
   * after move_to(@p point)). Returns the iterations.
   */
  unsigned int
  pcg(const Hessian &                           hessian,
      const LA::Vector &                        b,
      const LA::Vector &                        point,
      RecycledPreconditioner &                  recycled,
      const RecycledPreconditioner::Operator &  preconditioner)
  {
    recycled.move_to(point, hessian.alpha);
    LA::Vector r = b, z = b, p = b, hp = b;
    preconditioner(r, z);
    p          = z;
    double rz  = r * z;
    const double b_norm = b.l2_norm();
    for (unsigned int it = 1; it <= 100; ++it)
      {
        hessian.vmult(p, hp);
        recycled.add_product(p, hp);
        const double step = rz / (p * hp);
        r.add(-step, hp);
        if (r.l2_norm() <= 1e-6 * b_norm)
          return it;
        preconditioner(r, z);
        const double rz_new = r * z;
        p.sadd(rz_new / rz, z);
        rz = rz_new;
      }
    return 100;
  }
} // namespace



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  Hessian          hessian;
  const LA::Vector b =
    filled([](const unsigned int i) { return std::cos(0.5 * i) + 0.2; });
  const LA::Vector first  = filled([](const unsigned int) { return 0.; });
  const LA::Vector second = filled([](const unsigned int) { return 1.; });
  const LA::Vector third  = filled([](const unsigned int) { return 2.; });

  RecycledPreconditioner recycled(20);
  const RecycledPreconditioner::Operator initial =
    [&](const LA::Vector &v, LA::Vector &r) {
      hessian.regularization_inverse(v, r);
    };
  const RecycledPreconditioner::Operator with_pairs =
    [&](const LA::Vector &v, LA::Vector &r) { recycled.apply(v, r, initial); };

  // The first point: no pairs yet.
  testing::log() << "CG with D^-1: "
                 << pcg(hessian, b, first, recycled, with_pairs)
                 << " iterations, active pairs " << recycled.n_active()
                 << std::endl;
  // The same point again: its own products stay pending.
  testing::log() << "the same point again: "
                 << pcg(hessian, b, first, recycled, with_pairs)
                 << " iterations, active pairs " << recycled.n_active()
                 << std::endl;

  // The next point: the pairs of both solves at the first one are active.
  recycled.move_to(second, hessian.alpha);
  testing::log() << "at the next point: active pairs " << recycled.n_active()
                 << std::endl;
  // M H x = x on CG's Krylov space, (D^-1 H)^j D^-1 b, and on other
  // vectors.
  const auto relative_error = [&](const LA::Vector &x) {
    LA::Vector hx = x, mhx = x;
    hessian.vmult(x, hx);
    recycled.apply(hx, mhx, initial);
    mhx -= x;
    return mhx.l2_norm() / x.l2_norm();
  };
  double     krylov = 0., other = 0.;
  LA::Vector x = b, hx = b;
  initial(b, x);
  for (unsigned int j = 0; j <= rank; ++j)
    {
      krylov = std::max(krylov, relative_error(x));
      hessian.vmult(x, hx);
      initial(hx, x);
      x /= x.l2_norm();
    }
  for (unsigned int k = 0; k <= rank; ++k)
    other = std::max(other, relative_error(filled([k](const unsigned int i) {
                       return std::sin(0.1 * (k + 1) * i + k);
                     })));
  testing::log() << "M H x = x on CG's Krylov space (relative error < 1e-8): "
                 << testing::yes_no(krylov < 1e-8) << std::endl;
  testing::log() << "M = H^-1 on other vectors (relative error < 1e-8): "
                 << testing::yes_no(other < 1e-8) << std::endl;
  testing::log() << "CG with the pairs: "
                 << pcg(hessian, b, second, recycled, with_pairs)
                 << " iteration(s)" << std::endl;

  // A new weight without the regularization's product drops the pairs.
  hessian.alpha = 0.5;
  recycled.move_to(third, hessian.alpha);
  testing::log() << "a new weight: active pairs " << recycled.n_active()
                 << "; CG " << pcg(hessian, b, third, recycled, with_pairs)
                 << " iterations" << std::endl;
  hessian.alpha = 1.;

  // With it, the products of the last point are corrected to the new
  // weight. Against the same pairs uncorrected (kept as if the weight had
  // not changed) and D^-1 alone, at the next point.
  {
    RecycledPreconditioner corrected(20), stale(20), scratch(20);
    pcg(hessian, b, first, corrected, initial);
    pcg(hessian, b, first, stale, initial);
    stale.move_to(second, hessian.alpha);
    hessian.alpha = 0.5;
    corrected.move_to(second,
                      hessian.alpha,
                      [&](const LA::Vector &v, LA::Vector &r) {
                        hessian.regularization(v, r);
                      });
    const auto with = [&](const RecycledPreconditioner &pairs) {
      return RecycledPreconditioner::Operator(
        [&](const LA::Vector &v, LA::Vector &r) { pairs.apply(v, r, initial); });
    };
    // Every corrected pair is a product of the new Hessian.
    double error = 0.;
    for (unsigned int i = 0; i < corrected.n_active(); ++i)
      {
        const auto [direction, product] = corrected.active_pair(i);
        LA::Vector exact                = direction;
        hessian.vmult(direction, exact);
        LA::Vector difference = product;
        difference -= exact;
        error = std::max(error, difference.l2_norm() / exact.l2_norm());
      }
    const unsigned int n_corrected =
      pcg(hessian, b, second, scratch, with(corrected));
    const unsigned int n_stale = pcg(hessian, b, second, scratch, with(stale));
    const unsigned int n_alone = pcg(hessian, b, second, scratch, initial);
    testing::log() << "a new weight with the regularization's product: "
                   << "active pairs " << corrected.n_active()
                   << ", products of the new Hessian (relative error < "
                   << "1e-12): " << testing::yes_no(error < 1e-12) << "; CG "
                   << n_corrected << " iterations (uncorrected pairs "
                   << n_stale << ", D^-1 alone " << n_alone << ")"
                   << std::endl;
    hessian.alpha = 1.;
  }

  // Fewer pairs kept than directions made.
  RecycledPreconditioner small(3);
  pcg(hessian, b, first, small, initial);
  small.move_to(second, hessian.alpha);
  testing::log() << "memory 3: active pairs " << small.n_active() << std::endl;

  // A pair without positive curvature (H s = -s) is dropped.
  RecycledPreconditioner curvature(5);
  curvature.move_to(first, hessian.alpha);
  LA::Vector minus_b = b;
  minus_b *= -1.;
  curvature.add_product(b, minus_b);
  hessian.vmult(b, hx);
  curvature.add_product(b, hx);
  curvature.move_to(second, hessian.alpha);
  testing::log() << "one of two pairs without curvature: active pairs "
                 << curvature.n_active() << std::endl;
}
