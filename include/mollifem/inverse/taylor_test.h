#ifndef mollifem_inverse_taylor_test_h
#define mollifem_inverse_taylor_test_h

#include <cmath>
#include <vector>

namespace mollifem
{
  /**
   * Taylor remainders of an objective along a direction: the check that a
   * model's derivatives are right, which every model of mollifem passes and
   * a user's new model should pass too (doc/examples/advection_diffusion).
   *
   * @p objective needs value(m), gradient(m, g) and, for @p order 2,
   * gauss_newton_vmult(m, v, Hv) (ReducedObjective has them all). At the
   * steps e_i = @p first_step / 2^i, i < @p n_steps, the remainders are
   * |J(m + e v) - J(m) - e g.v| (order 1), minus e^2/2 v.Hv as well
   * (order 2). A correct gradient makes them fall at rate 2 (a wrong one at
   * rate 1); a Gauss-Newton Hessian at a point where the data are fitted
   * exactly (where it is the Hessian) makes the second-order ones fall at
   * rate 3.
   */
  template <typename Objective, typename VectorType>
  std::vector<double>
  taylor_remainders(Objective &        objective,
                    const VectorType & m,
                    const VectorType & v,
                    const double       first_step,
                    const unsigned int order,
                    const unsigned int n_steps = 5)
  {
    const double J0 = objective.value(m);
    VectorType   g  = m;
    objective.gradient(m, g);
    const double gv  = g * v;
    double       vHv = 0.;
    if (order > 1)
      {
        VectorType Hv = m;
        objective.gauss_newton_vmult(m, v, Hv);
        vHv = v * Hv;
      }
    std::vector<double> remainders;
    for (unsigned int i = 0; i < n_steps; ++i)
      {
        const double e  = first_step / std::pow(2., i);
        VectorType   me = m;
        me.add(e, v);
        remainders.push_back(std::abs(objective.value(me) - J0 - e * gv -
                                      (order > 1 ? 0.5 * e * e * vHv : 0.)));
      }
    return remainders;
  }



  /**
   * The rates log2(r_{i-1} / r_i) of successive remainders of
   * taylor_remainders() (steps halved each time).
   */
  inline std::vector<double>
  taylor_rates(const std::vector<double> &remainders)
  {
    std::vector<double> rates;
    for (unsigned int i = 1; i < remainders.size(); ++i)
      rates.push_back(std::log2(remainders[i - 1] / remainders[i]));
    return rates;
  }
} // namespace mollifem

#endif
