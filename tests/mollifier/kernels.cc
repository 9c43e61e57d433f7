// The mollifier kernels on their own: unit mass, the moment conditions of
// the derivative kernels, and the analytic derivatives against finite
// differences, for every registered kernel in 1D, 2D and 3D.
//
// Moments of D^a eta: integral of D^a eta(z) z^b dz equals
// (-1)^|a| a! if b = a, and 0 for every other b with |b| <= |a| + 1
// (integration by parts; the odd moments of a radial kernel vanish).

#include <deal.II/base/quadrature_lib.h>

#include <mollifem/mollifier/kernel.h>

#include "../tests.h"

using namespace mollifem;

/**
 * A quadrature rule on the unit ball in polar (spherical) coordinates:
 * composite Gauss in the radius, fine enough for the steep fourth
 * derivatives of the bump near the edge of its support (features of width
 * about 0.005); the trapezoidal rule in the periodic angles, Gauss in the
 * polar angle's cosine. The integrands (polynomials times smooth radial
 * functions) are integrated to about 1e-13.
 */
template <int dim>
std::vector<std::pair<Point<dim>, double>>
ball_rule()
{
  const QIterated<1> radial(QGauss<1>(10), dim == 3 ? 120 : 400);
  std::vector<std::pair<Point<dim>, double>> rule;
  for (unsigned int q = 0; q < radial.size(); ++q)
    {
      const double r = radial.point(q)[0];
      const double w = radial.weight(q);
      if (dim == 1)
        {
          rule.emplace_back(Point<dim>::unit_vector(0) * r, w);
          rule.emplace_back(Point<dim>::unit_vector(0) * -r, w);
        }
      else if (dim == 2)
        {
          const unsigned int n = 64;
          for (unsigned int k = 0; k < n; ++k)
            {
              const double phi = 2. * numbers::PI * k / n;
              Point<dim>   z;
              z[0] = r * std::cos(phi);
              z[1] = r * std::sin(phi);
              rule.emplace_back(z, w * r * 2. * numbers::PI / n);
            }
        }
      else
        {
          const QGauss<1>    polar(10);
          const unsigned int n = 20;
          for (unsigned int j = 0; j < polar.size(); ++j)
            for (unsigned int k = 0; k < n; ++k)
              {
                const double cos_theta = 2. * polar.point(j)[0] - 1.;
                const double sin_theta = std::sqrt(1. - cos_theta * cos_theta);
                const double phi       = 2. * numbers::PI * k / n;
                Point<dim>   z;
                z[0] = r * sin_theta * std::cos(phi);
                z[1] = r * sin_theta * std::sin(phi);
                z[dim - 1] = r * cos_theta;
                rule.emplace_back(z,
                                  w * r * r * 2. * polar.weight(j) * 2. *
                                    numbers::PI / n);
              }
        }
    }
  return rule;
}

template <int dim>
void
check(const std::string &name)
{
  const Kernel<dim> kernel(make_kernel_profile(name));
  const std::vector<std::pair<Point<dim>, double>> rule = ball_rule<dim>();
  const std::vector<MultiIndex<dim>> derivatives = multi_indices_up_to<dim>(4);
  const std::vector<MultiIndex<dim>> monomials   = multi_indices_up_to<dim>(5);

  double                             mass = 0.;
  std::vector<std::vector<double>>   moments(derivatives.size(),
                                           std::vector<double>(monomials.size()));
  std::vector<double> monomial_values(monomials.size());
  for (const auto &[z, weight] : rule)
    {
      mass += weight * kernel.value(z);
      for (unsigned int b = 0; b < monomials.size(); ++b)
        {
          double value = 1.;
          for (unsigned int i = 0; i < dim; ++i)
            value *= std::pow(z[i], int(monomials[b][i]));
          monomial_values[b] = value;
        }
      for (unsigned int a = 0; a < derivatives.size(); ++a)
        {
          const double       value = weight * kernel.derivative(z, derivatives[a]);
          const unsigned int n     = order<dim>(derivatives[a]);
          for (unsigned int b = 0; b < monomials.size(); ++b)
            if (order<dim>(monomials[b]) <= n + 1)
              moments[a][b] += value * monomial_values[b];
        }
    }

  bool first_order = true, second_order = true, higher_order = true;
  for (unsigned int a = 0; a < derivatives.size(); ++a)
    {
      const unsigned int n = order<dim>(derivatives[a]);
      if (n == 0)
        continue;
      for (unsigned int b = 0; b < monomials.size(); ++b)
        {
          if (order<dim>(monomials[b]) > n + 1)
            continue;
          const double expected =
            monomials[b] == derivatives[a] ?
              (n % 2 ? -1. : 1.) * factorial<dim>(derivatives[a]) :
              0.;
          const bool ok = std::abs(moments[a][b] - expected) < 1e-9;
          (n == 1 ? first_order : n == 2 ? second_order : higher_order) &= ok;
        }
    }

  // Analytic derivatives against central differences of the next lower
  // derivative, at points inside the support.
  double       worst = 0.;
  const double step  = 1e-5;
  for (const Point<dim> &z : {Point<dim>::unit_vector(0) * 0.31,
                              Point<dim>::unit_vector(dim - 1) * -0.52,
                              Point<dim>() + Tensor<1, dim>() })
    for (const auto &alpha : derivatives)
      for (unsigned int i = 0; i < dim; ++i)
        if (alpha[i] > 0)
          {
            MultiIndex<dim> lower = alpha;
            --lower[i];
            Point<dim> plus = z, minus = z;
            plus[i] += step;
            minus[i] -= step;
            const double difference = (kernel.derivative(plus, lower) -
                                       kernel.derivative(minus, lower)) /
                                      (2. * step);
            const double exact = kernel.derivative(z, alpha);
            worst = std::max(worst,
                             std::abs(difference - exact) /
                               std::max(1., std::abs(exact)));
          }

  // The scaled, anisotropic kernel: eta_h(z) = eta(z/h) / prod h, and
  // L eta_h scales with h^-a.
  Point<dim> h, z, unit;
  for (unsigned int i = 0; i < dim; ++i)
    {
      h[i]    = 0.1 * (i + 1);
      unit[i] = 0.2 - 0.15 * i;
      z[i]    = unit[i] * h[i];
    }
  double volume = 1.;
  for (unsigned int i = 0; i < dim; ++i)
    volume *= h[i];
  const auto laplacian = DifferentialOperator<dim>::laplacian();
  double     expected  = 0.;
  for (const auto &[c, alpha] : laplacian.terms())
    {
      double scale = c;
      for (unsigned int i = 0; i < dim; ++i)
        scale /= std::pow(h[i], int(alpha[i]));
      expected += scale * kernel.derivative(unit, alpha);
    }
  expected /= volume;
  const bool scaling_ok =
    std::abs(kernel.apply(laplacian, z, h) - expected) <
      1e-12 * std::abs(expected) &&
    std::abs(kernel.value(z, h) - kernel.value(unit) / volume) <
      1e-12 * kernel.value(unit) / volume;

  testing::log() << name << ", " << dim << "D:\n"
                 << "  unit mass (|mass - 1| < 1e-12): "
                 << testing::yes_no(std::abs(mass - 1.) < 1e-12) << '\n'
                 << "  moments of first derivatives exact (1e-9): "
                 << testing::yes_no(first_order) << '\n'
                 << "  moments of second derivatives exact (1e-9): "
                 << testing::yes_no(second_order) << '\n'
                 << "  moments of third and fourth derivatives exact (1e-9): "
                 << testing::yes_no(higher_order) << '\n'
                 << "  derivatives match central differences (1e-6): "
                 << testing::yes_no(worst < 1e-6) << '\n'
                 << "  scaled anisotropic kernel consistent (1e-12): "
                 << testing::yes_no(scaling_ok) << '\n';
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const std::string name : {"bump", "polynomial"})
    {
      check<1>(name);
      check<2>(name);
      check<3>(name);
    }
}
