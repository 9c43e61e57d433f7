#include <deal.II/base/numbers.h>
#include <deal.II/base/quadrature_lib.h>

#include <mollifem/mollifier/kernel.h>

#include <cmath>

namespace mollifem
{
  namespace
  {
    const KernelRegistry::Registration bump_registration(
      {"bump",
       "Friedrichs' bump C exp(-1/(1-|z|^2)), infinitely smooth (default).",
       nullptr,
       [](ParameterHandler &) {
         return std::unique_ptr<KernelProfile>(new BumpProfile());
       }});

    const KernelRegistry::Registration polynomial_registration(
      {"polynomial",
       "The polynomial C (1-|z|^2)^6, five times continuously differentiable.",
       nullptr,
       [](ParameterHandler &) {
         return std::unique_ptr<KernelProfile>(new PolynomialProfile(6));
       }});

    /**
     * coefficients[n][k][j]: the coefficient of lambda^k x^j in H_n(x;
     * lambda), from H_0 = 1, H_{n+1} = dH_n/dx + 2 lambda x H_n.
     */
    using HermiteTable = std::array<std::array<std::array<double, 5>, 5>, 5>;

    HermiteTable
    make_hermite_table()
    {
      HermiteTable table{};
      table[0][0][0] = 1.;
      for (unsigned int n = 0; n < 4; ++n)
        for (unsigned int k = 0; k <= n; ++k)
          for (unsigned int j = 0; j <= n; ++j)
            {
              const double c = table[n][k][j];
              if (c == 0.)
                continue;
              if (j > 0)
                table[n + 1][k][j - 1] += j * c;
              table[n + 1][k + 1][j + 1] += 2. * c;
            }
      return table;
    }

    const HermiteTable hermite = make_hermite_table();

    double
    sphere_area(const unsigned int dim)
    {
      switch (dim)
        {
          case 1:
            return 2.;
          case 2:
            return 2. * numbers::PI;
          default:
            return 4. * numbers::PI;
        }
    }
  } // namespace



  BumpProfile::BumpProfile()
    : coefficients{}
  {
    coefficients[0][0] = 1.;
    for (unsigned int k = 0; k < 4; ++k)
      for (unsigned int j = 0; j < 9; ++j)
        {
          // t^2 (P_k' - P_k): P_k' contributes j c_j t^{j+1},
          // -P_k contributes -c_j t^{j+2}.
          const double c = coefficients[k][j];
          if (c == 0.)
            continue;
          if (j > 0)
            coefficients[k + 1][j + 1] += j * c;
          coefficients[k + 1][j + 2] -= c;
        }
  }



  void
  BumpProfile::derivatives(const double s, std::array<double, 5> &g) const
  {
    if (s >= 1.)
      {
        g.fill(0.);
        return;
      }
    const double t = 1. / (1. - s);
    const double e = std::exp(-t);
    for (unsigned int k = 0; k < 5; ++k)
      {
        double p = 0.;
        for (int j = 8; j >= 0; --j)
          p = p * t + coefficients[k][j];
        g[k] = p * e;
      }
  }



  PolynomialProfile::PolynomialProfile(const unsigned int exponent)
    : exponent(exponent)
  {
    AssertThrow(exponent >= 5,
                ExcMessage("The polynomial kernel needs an exponent of at "
                           "least 5 for continuous fourth derivatives."));
  }



  void
  PolynomialProfile::derivatives(const double s, std::array<double, 5> &g) const
  {
    if (s >= 1.)
      {
        g.fill(0.);
        return;
      }
    // g^(k) = (-1)^k p!/(p-k)! (1-s)^(p-k)
    const double one_minus_s = 1. - s;
    double       factor      = 1.;
    for (unsigned int k = 0; k < 5; ++k)
      {
        g[k] = factor * std::pow(one_minus_s, int(exponent - k));
        factor *= -double(exponent - k);
      }
  }



  std::shared_ptr<const KernelProfile>
  make_kernel_profile(const std::string &name)
  {
    ParameterHandler unused;
    return KernelRegistry::create(name, unused);
  }



  template <int dim>
  Kernel<dim>::Kernel(std::shared_ptr<const KernelProfile> profile)
    : profile(std::move(profile))
  {
    // Mass of g(|z|^2) on the unit ball: |S^{d-1}| int_0^1 g(r^2) r^{d-1} dr.
    // The profiles are smooth on [0,1] (the bump with all derivatives
    // vanishing at 1), so a composite Gauss rule is accurate to round-off.
    const QIterated<1>    quadrature(QGauss<1>(10), 64);
    std::array<double, 5> g;
    double                mass = 0.;
    for (unsigned int q = 0; q < quadrature.size(); ++q)
      {
        const double r = quadrature.point(q)[0];
        this->profile->derivatives(r * r, g);
        mass += quadrature.weight(q) * g[0] * std::pow(r, int(dim - 1));
      }
    constant = 1. / (sphere_area(dim) * mass);
  }



  template <int dim>
  double
  Kernel<dim>::normalization() const
  {
    return constant;
  }



  template <int dim>
  double
  Kernel<dim>::value(const Point<dim> &z) const
  {
    std::array<double, 5> g;
    profile->derivatives(z.square(), g);
    return constant * g[0];
  }



  template <int dim>
  double
  Kernel<dim>::radial_derivative(const Point<dim> &           z,
                                 const MultiIndex<dim> &      alpha,
                                 const std::array<double, 5> &g)
  {
    // q(lambda) = prod_i H_{alpha_i}(z_i; lambda), degree <= |alpha| <= 4.
    std::array<double, 5> q{};
    q[0] = 1.;
    for (unsigned int i = 0; i < dim; ++i)
      {
        if (alpha[i] == 0)
          continue;
        std::array<double, 5> h{};
        for (unsigned int k = 0; k <= alpha[i]; ++k)
          {
            double value = 0.;
            for (int j = alpha[i]; j >= 0; --j)
              value = value * z[i] + hermite[alpha[i]][k][j];
            h[k] = value;
          }
        std::array<double, 5> product{};
        for (unsigned int a = 0; a < 5; ++a)
          if (q[a] != 0.)
            for (unsigned int b = 0; a + b < 5; ++b)
              product[a + b] += q[a] * h[b];
        q = product;
      }
    double result = 0.;
    for (unsigned int k = 0; k < 5; ++k)
      result += q[k] * g[k];
    return result;
  }



  template <int dim>
  double
  Kernel<dim>::derivative(const Point<dim> &z, const MultiIndex<dim> &alpha) const
  {
    AssertThrow(order<dim>(alpha) <= 4,
                ExcMessage("Kernel derivatives are available up to order 4."));
    const double s = z.square();
    if (s >= 1.)
      return 0.;
    std::array<double, 5> g;
    profile->derivatives(s, g);
    return constant * radial_derivative(z, alpha, g);
  }



  template <int dim>
  double
  Kernel<dim>::apply(const DifferentialOperator<dim> &L,
                     const Point<dim> &               z,
                     const Point<dim> &               h) const
  {
    Point<dim> unit_z;
    for (unsigned int i = 0; i < dim; ++i)
      unit_z[i] = z[i] / h[i];
    std::array<double, 2> values;
    return evaluate(unit_z, h, {L}, values.data()) ? values[1] : 0.;
  }



  template <int dim>
  double
  Kernel<dim>::value(const Point<dim> &z, const Point<dim> &h) const
  {
    Point<dim> unit_z;
    double     volume = 1.;
    for (unsigned int i = 0; i < dim; ++i)
      {
        unit_z[i] = z[i] / h[i];
        volume *= h[i];
      }
    return value(unit_z) / volume;
  }



  template <int dim>
  bool
  Kernel<dim>::evaluate(const Point<dim> &                             u,
                        const Point<dim> &                             h,
                        const std::vector<DifferentialOperator<dim>> &operators,
                        double *values) const
  {
    const double s = u.square();
    if (s >= 1.)
      return false;
    std::array<double, 5> g;
    profile->derivatives(s, g);
    double volume = 1.;
    for (unsigned int i = 0; i < dim; ++i)
      volume *= h[i];
    const double factor = constant / volume;
    values[0]           = factor * g[0];
    for (unsigned int k = 0; k < operators.size(); ++k)
      {
        double result = 0.;
        for (const auto &[coefficient, alpha] : operators[k].terms())
          {
            double scale = coefficient;
            for (unsigned int i = 0; i < dim; ++i)
              for (unsigned int j = 0; j < alpha[i]; ++j)
                scale /= h[i];
            result += scale * radial_derivative(u, alpha, g);
          }
        values[1 + k] = factor * result;
      }
    return true;
  }



  template class Kernel<1>;
  template class Kernel<2>;
  template class Kernel<3>;
} // namespace mollifem
