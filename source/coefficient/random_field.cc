#include <deal.II/base/numbers.h>

#include <mollifem/base/format.h>
#include <mollifem/coefficient/random_field.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include <cmath>

namespace mollifem
{
  template <int dim>
  RandomField<dim>::RandomField(const Parameters &      parameters,
                                const BoundingBox<dim> &box)
    : parameters(parameters)
    , box(box)
  {
    AssertThrow(parameters.mean > parameters.floor,
                ExcMessage("The mean of a random field must exceed its floor."));
    AssertThrow(parameters.correlation_length > 0. && parameters.n_modes > 0,
                ExcMessage("A random field needs a positive correlation "
                           "length and at least one mode."));
    boost::random::mt19937                     generator(parameters.seed);
    boost::random::normal_distribution<double> normal(0., 1.);

    unsigned int n_total = 1;
    for (unsigned int d = 0; d < dim; ++d)
      n_total *= parameters.n_modes;
    double mean_variance = 0.;
    for (unsigned int index = 0; index < n_total; ++index)
      {
        std::array<unsigned int, dim> k;
        double                        omega_squared = 0.;
        // The box average of prod cos^2: 1/2 per axis with k_i > 0.
        double average = 1.;
        for (unsigned int d = 0, rest = index; d < dim;
             ++d, rest /= parameters.n_modes)
          {
            k[d]               = rest % parameters.n_modes;
            const double omega = k[d] * numbers::PI / box.side_length(d);
            omega_squared += omega * omega;
            if (k[d] > 0)
              average *= 0.5;
          }
        // The cosine series of an even covariance: the modes k and -k of
        // the Fourier series fold into one for k_i > 0, so a zero wave
        // number counts half per axis.
        double s = std::exp(-omega_squared * parameters.correlation_length *
                            parameters.correlation_length / 4.);
        for (unsigned int d = 0; d < dim; ++d)
          if (k[d] == 0)
            s *= 0.5;
        modes.push_back(k);
        amplitudes.push_back(normal(generator) * std::sqrt(s));
        mean_variance += s * average;
      }
    for (double &a : amplitudes)
      a /= std::sqrt(mean_variance);
  }



  template <int dim>
  double
  RandomField<dim>::value(const Point<dim> &p, const unsigned int) const
  {
    // cos(k pi x') for all k by the recurrence of Chebyshev polynomials.
    std::array<std::vector<double>, dim> cosines;
    for (unsigned int d = 0; d < dim; ++d)
      {
        const double c = std::cos(numbers::PI *
                                  (p[d] - box.lower_bound(d)) /
                                  box.side_length(d));
        cosines[d].resize(parameters.n_modes);
        cosines[d][0] = 1.;
        if (parameters.n_modes > 1)
          cosines[d][1] = c;
        for (unsigned int k = 2; k < parameters.n_modes; ++k)
          cosines[d][k] = 2. * c * cosines[d][k - 1] - cosines[d][k - 2];
      }
    double g = 0.;
    for (unsigned int m = 0; m < modes.size(); ++m)
      {
        double term = amplitudes[m];
        for (unsigned int d = 0; d < dim; ++d)
          term *= cosines[d][modes[m][d]];
        g += term;
      }
    const double sigma = parameters.log_deviation;
    return parameters.floor + (parameters.mean - parameters.floor) *
                                std::exp(sigma * g - 0.5 * sigma * sigma);
  }



  template <int dim>
  std::string
  RandomField<dim>::description() const
  {
    return "random field (seed " + std::to_string(parameters.seed) +
           ", mean " + internal::format(parameters.mean) + ", floor " +
           internal::format(parameters.floor) + ", log deviation " +
           internal::format(parameters.log_deviation) +
           ", correlation length " +
           internal::format(parameters.correlation_length) + ")";
  }



  template class RandomField<1>;
  template class RandomField<2>;
  template class RandomField<3>;
} // namespace mollifem
