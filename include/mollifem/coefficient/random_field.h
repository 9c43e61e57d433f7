#ifndef mollifem_coefficient_random_field_h
#define mollifem_coefficient_random_field_h

#include <deal.II/base/bounding_box.h>
#include <deal.II/base/function.h>

#include <array>
#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /// Parameters of a RandomField (subsection Coefficient/Random field).
  struct RandomFieldParameters
  {
    unsigned int seed = 1;
    /// $q_{mean}$, the expected value.
    double mean = 0.5;
    /// $q_{floor}$, the lower limit.
    double floor = 0.15;
    /// $\sigma$, the standard deviation of $\log(q - q_{floor})$.
    double log_deviation = 0.5;
    /// $\ell$.
    double correlation_length = 0.3;
    /// Modes per axis.
    unsigned int n_modes = 16;
  };



  /**
   * A smooth log-normal-like random field on a box, drawn with a seed: the
   * ground truth of a synthetic problem (card B3's reaction-rate ratio, or a
   * conductivity),
   * $$q(x) = q_{floor} + (q_{mean} - q_{floor})
   *   \exp\big(\sigma G(x) - \sigma^2/2\big),$$
   * where $G$ is a Gaussian field with mean 0 and (box-averaged) variance 1,
   * a cosine series on the box $[a, b]$,
   * $$G(x) = \sum_{k} \xi_k \sqrt{s_k} \prod_i \cos\big(k_i \pi
   *   (x_i - a_i)/(b_i - a_i)\big),\qquad
   *   s_k \propto \exp\big(-|\omega_k|^2 \ell^2/4\big),$$
   * with independent standard normal $\xi_k$ (Boost's mt19937 and normal
   * distribution: the same field on every platform and rank), $k_i <
   * $ `n_modes`, $\omega_k$ the wave vector and $\ell$ the correlation
   * length (the spectrum of the Gaussian covariance $c(r) =
   * \exp(-r^2/\ell^2)$; a zero wave number counts half per axis, as in the
   * cosine series of an even function). $G$ is then the Gaussian process
   * with covariance $c(x - y)$ plus its mirror images in the walls of the
   * box, normalized to variance 1 on average: stationary away from the
   * walls, with zero normal derivative on them (the cosines are the
   * eigenfunctions of the Laplacian with no-flux conditions), like the
   * states of a no-flux problem. $E[q] = q_{mean}$ and $q > q_{floor}$
   * everywhere.
   */
  template <int dim>
  class RandomField : public Function<dim>
  {
  public:
    using Parameters = RandomFieldParameters;

    RandomField(const Parameters &parameters, const BoundingBox<dim> &box);

    double
    value(const Point<dim> &p, const unsigned int component = 0) const override;

    /// "random field (seed 1, mean 0.5, ...)".
    std::string
    description() const;

  private:
    const Parameters           parameters;
    const BoundingBox<dim>     box;
    /// Wave numbers k (per axis) and amplitudes xi_k sqrt(s_k) / norm.
    std::vector<std::array<unsigned int, dim>> modes;
    std::vector<double>                        amplitudes;
  };
} // namespace mollifem

#endif
