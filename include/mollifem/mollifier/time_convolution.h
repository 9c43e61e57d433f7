#ifndef mollifem_mollifier_time_convolution_h
#define mollifem_mollifier_time_convolution_h

#include <deal.II/lac/full_matrix.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/mollifier/mollifier_parameters.h>

#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The mollifier in time for a series of snapshots $u(\cdot, t_k)$: the
   * separate time kernel of a separable space-time mollifier
   * $\eta(x, t) = \eta_x(x)\,\eta_t(t)$. For target times $s_j$,
   * $$\partial_t^n (\eta_t * u)(s_j) \approx \sum_k W^{(n)}_{jk}\, u(t_k),$$
   * with the 1D kernel's analytic derivatives and the same moment
   * correction as in space (ConvolutionOperator<1> on the times as
   * scattered data with trapezoidal weights), so that the first and last
   * snapshots, where the kernel is cut, are exact for polynomials in time up
   * to the reproduction degree. Space and time operators commute: mollify
   * each snapshot in space, then combine in time, or the other way round.
   *
   * The times are few (every rank holds them all), so the weights are kept
   * as a dense matrix per derivative order.
   */
  class TimeConvolution
  {
  public:
    /**
     * @param parameters kernel, boundary treatment, reproduction degree and
     * the radius in time [time] (Radius, one value; the bandwidth mode is
     * ignored: the radius is fixed).
     * @param max_order derivatives 0, ..., max_order in time (at most 4).
     */
    TimeConvolution(const MollifierParameters &parameters,
                    const unsigned int         max_order = 1);

    /// Weights for snapshots at @p times (strictly increasing) and values
    /// at @p target_times (inside [times.front(), times.back()]).
    void
    reinit(const std::vector<double> &times,
           const std::vector<double> &target_times);

    /// $W^{(n)}$: rows are target times, columns snapshots.
    const FullMatrix<double> &
    weights(const unsigned int order) const;

    /// result = $\sum_k W^{(n)}_{jk}$ snapshots[k] for target @p j.
    void
    apply(const unsigned int             order,
          const unsigned int             j,
          const std::vector<LA::Vector> &snapshots,
          LA::Vector &                   result) const;

  private:
    MollifierParameters             parameters;
    const unsigned int              max_order;
    std::vector<FullMatrix<double>> matrices;
  };
} // namespace mollifem

#endif
