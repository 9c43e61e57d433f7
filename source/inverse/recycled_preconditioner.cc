#include <mollifem/inverse/recycled_preconditioner.h>

#include <cmath>

namespace mollifem
{
  RecycledPreconditioner::RecycledPreconditioner(const unsigned int max_pairs)
    : max_pairs(max_pairs)
  {}



  void
  RecycledPreconditioner::move_to(const LA::Vector &m, const double new_weight)
  {
    if (have_point && new_weight != weight)
      clear();
    weight = new_weight;
    if (have_point && LA::equal(m, point))
      return;
    point      = m;
    have_point = true;
    if (pending_s.empty())
      return;

    s.clear();
    y.clear();
    rho.clear();
    for (std::size_t i = 0; i < pending_s.size(); ++i)
      {
        const double curvature = pending_y[i] * pending_s[i];
        // A pair without positive curvature would make the inverse
        // indefinite (the Gauss-Newton Hessian has none in exact arithmetic).
        if (!(curvature > 0.) || !std::isfinite(curvature))
          continue;
        s.push_back(std::move(pending_s[i]));
        y.push_back(std::move(pending_y[i]));
        rho.push_back(1. / curvature);
      }
    pending_s.clear();
    pending_y.clear();
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
} // namespace mollifem
