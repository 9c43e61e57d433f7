#include <mollifem/inverse/recycled_preconditioner.h>

#include <cmath>

namespace mollifem
{
  RecycledPreconditioner::RecycledPreconditioner(const unsigned int max_pairs)
    : max_pairs(max_pairs)
  {}



  void
  RecycledPreconditioner::move_to(const LA::Vector &m,
                                  const double      new_weight,
                                  const Operator &  regularization_product)
  {
    const bool same_point = have_point && LA::equal(m, point);
    if (have_point && new_weight != weight)
      {
        if (!(weight > 0. && new_weight > 0.) || !regularization_product)
          clear();
        else
          {
            // The pairs of the new weight: H' s = H s + (R' - R) s with the
            // regularization's Hessian R' = (new / old) R.
            const double factor = 1. - weight / new_weight;
            LA::Vector   product;
            const auto   correct = [&](const LA::Vector &si, LA::Vector &yi) {
              product.reinit(si);
              regularization_product(si, product);
              yi.add(factor, product);
            };
            for (std::size_t i = 0; i < pending_s.size(); ++i)
              correct(pending_s[i], pending_y[i]);
            for (std::size_t i = 0; i < s.size(); ++i)
              correct(s[i], y[i]);
            // At the same point, its own products (the last steps') become
            // the pairs at once; elsewhere as usual below.
            if (same_point)
              activate_pending();
            else
              rho_from_pairs();
          }
      }
    weight = new_weight;
    if (same_point)
      return;
    point      = m;
    have_point = true;
    activate_pending();
  }



  void
  RecycledPreconditioner::rho_from_pairs()
  {
    std::vector<LA::Vector> all_s, all_y;
    all_s.swap(s);
    all_y.swap(y);
    rho.clear();
    for (std::size_t i = 0; i < all_s.size(); ++i)
      {
        const double curvature = all_y[i] * all_s[i];
        // A pair without positive curvature would make the inverse
        // indefinite (the Gauss-Newton Hessian has none in exact arithmetic).
        if (!(curvature > 0.) || !std::isfinite(curvature))
          continue;
        s.push_back(std::move(all_s[i]));
        y.push_back(std::move(all_y[i]));
        rho.push_back(1. / curvature);
      }
  }



  void
  RecycledPreconditioner::activate_pending()
  {
    if (pending_s.empty())
      return;
    s.swap(pending_s);
    y.swap(pending_y);
    pending_s.clear();
    pending_y.clear();
    rho_from_pairs();
  }



  void
  RecycledPreconditioner::add_product(const LA::Vector &direction,
                                      const LA::Vector &product)
  {
    if (max_pairs == 0)
      return;
    // Only the latest max_pairs are used: keep no more.
    if (pending_s.size() == max_pairs)
      {
        pending_s.erase(pending_s.begin());
        pending_y.erase(pending_y.begin());
      }
    pending_s.push_back(direction);
    pending_y.push_back(product);
  }



  void
  RecycledPreconditioner::apply(const LA::Vector &v,
                                LA::Vector &      result,
                                const Operator &  initial_inverse) const
  {
    // The two-loop recursion of L-BFGS.
    LA::Vector          q = v;
    std::vector<double> alpha(s.size());
    for (std::size_t i = s.size(); i-- > 0;)
      {
        alpha[i] = rho[i] * (s[i] * q);
        q.add(-alpha[i], y[i]);
      }
    initial_inverse(q, result);
    for (std::size_t i = 0; i < s.size(); ++i)
      {
        const double beta = rho[i] * (y[i] * result);
        result.add(alpha[i] - beta, s[i]);
      }
  }



  void
  RecycledPreconditioner::clear()
  {
    pending_s.clear();
    pending_y.clear();
    s.clear();
    y.clear();
    rho.clear();
  }



  unsigned int
  RecycledPreconditioner::n_active() const
  {
    return s.size();
  }



  std::pair<const LA::Vector &, const LA::Vector &>
  RecycledPreconditioner::active_pair(const unsigned int i) const
  {
    AssertIndexRange(i, s.size());
    return {s[i], y[i]};
  }
} // namespace mollifem
