#include <deal.II/base/exceptions.h>

#include <mollifem/mollifier/differential_operator.h>

#include <algorithm>
#include <numeric>

namespace mollifem
{
  template <int dim>
  unsigned int
  order(const MultiIndex<dim> &alpha)
  {
    return std::accumulate(alpha.begin(), alpha.end(), 0u);
  }



  template <int dim>
  double
  factorial(const MultiIndex<dim> &alpha)
  {
    double result = 1.;
    for (const unsigned int a : alpha)
      for (unsigned int k = 2; k <= a; ++k)
        result *= k;
    return result;
  }



  template <int dim>
  std::vector<MultiIndex<dim>>
  multi_indices_up_to(const unsigned int degree)
  {
    std::vector<MultiIndex<dim>> result;
    MultiIndex<dim>              alpha{};
    // Odometer over the box [0, degree]^dim, keeping total degree <= degree.
    while (true)
      {
        if (order<dim>(alpha) <= degree)
          result.push_back(alpha);
        unsigned int i = 0;
        while (i < dim && alpha[i] == degree)
          alpha[i++] = 0;
        if (i == dim)
          break;
        ++alpha[i];
      }
    std::stable_sort(result.begin(),
                     result.end(),
                     [](const MultiIndex<dim> &a, const MultiIndex<dim> &b) {
                       if (order<dim>(a) != order<dim>(b))
                         return order<dim>(a) < order<dim>(b);
                       return std::lexicographical_compare(b.begin(),
                                                           b.end(),
                                                           a.begin(),
                                                           a.end());
                     });
    return result;
  }



  namespace
  {
    const char axis_names[] = {'x', 'y', 'z'};

    template <int dim>
    std::string
    name_of(const MultiIndex<dim> &alpha)
    {
      if (order<dim>(alpha) == 0)
        return "value";
      std::string axes;
      for (unsigned int i = 0; i < dim; ++i)
        for (unsigned int k = 0; k < alpha[i]; ++k)
          axes += std::string("d") + axis_names[i];
      const unsigned int n = order<dim>(alpha);
      return (n == 1 ? std::string("d") : "d" + std::to_string(n)) + "/" +
             axes;
    }

    template <int dim>
    std::string
    valid_names()
    {
      std::string names = "value, laplacian, bilaplacian, d/dx";
      if (dim > 1)
        names += ", d/dy";
      if (dim > 2)
        names += ", d/dz";
      names += ", d2/dxdx";
      if (dim > 1)
        names += ", d2/dxdy";
      names += ", ..., d4/dxdxdxdx (up to order 4)";
      return names;
    }
  } // namespace



  template <int dim>
  DifferentialOperator<dim>::DifferentialOperator()
    : DifferentialOperator(MultiIndex<dim>{})
  {}



  template <int dim>
  DifferentialOperator<dim>::DifferentialOperator(const MultiIndex<dim> &alpha,
                                                  const double coefficient)
    : term_list{{coefficient, alpha}}
    , operator_name(name_of<dim>(alpha))
  {
    AssertThrow(mollifem::order<dim>(alpha) <= 4,
                ExcMessage("Derivatives of order higher than 4 are not "
                           "supported by the mollifier kernels."));
  }



  template <int dim>
  DifferentialOperator<dim>
  DifferentialOperator<dim>::parse(const std::string &name)
  {
    const auto invalid = [&]() {
      return ExcMessage("'" + name + "' is not a derivative the mollifier "
                        "knows; valid names are " + valid_names<dim>() + ".");
    };
    if (name == "value")
      return identity();
    if (name == "laplacian")
      return laplacian();
    if (name == "bilaplacian")
      return bilaplacian();

    // d/dx or dN/d<axis>d<axis>...
    AssertThrow(name.size() >= 4 && name[0] == 'd', invalid());
    std::size_t  position = 1;
    unsigned int n        = 1;
    if (name[1] != '/')
      {
        AssertThrow(name[1] >= '1' && name[1] <= '4' && name[2] == '/',
                    invalid());
        n        = name[1] - '0';
        position = 2;
      }
    ++position; // the '/'
    MultiIndex<dim> alpha{};
    unsigned int    n_axes = 0;
    while (position < name.size())
      {
        AssertThrow(name[position] == 'd' && position + 1 < name.size(),
                    invalid());
        const char   axis  = name[position + 1];
        unsigned int index = dim;
        for (unsigned int i = 0; i < dim; ++i)
          if (axis == axis_names[i])
            index = i;
        if (dim == 1 && axis == 't')
          index = 0;
        AssertThrow(index < dim, invalid());
        ++alpha[index];
        ++n_axes;
        position += 2;
      }
    AssertThrow(n_axes == n, invalid());
    DifferentialOperator result(alpha);
    result.operator_name = name;
    return result;
  }



  template <int dim>
  DifferentialOperator<dim>
  DifferentialOperator<dim>::identity()
  {
    return DifferentialOperator();
  }



  template <int dim>
  DifferentialOperator<dim>
  DifferentialOperator<dim>::partial(const unsigned int i)
  {
    AssertIndexRange(i, dim);
    MultiIndex<dim> alpha{};
    alpha[i] = 1;
    return DifferentialOperator(alpha);
  }



  template <int dim>
  DifferentialOperator<dim>
  DifferentialOperator<dim>::laplacian()
  {
    DifferentialOperator result;
    result.term_list.clear();
    for (unsigned int i = 0; i < dim; ++i)
      {
        MultiIndex<dim> alpha{};
        alpha[i] = 2;
        result.term_list.emplace_back(1., alpha);
      }
    result.operator_name = "laplacian";
    return result;
  }



  template <int dim>
  DifferentialOperator<dim>
  DifferentialOperator<dim>::bilaplacian()
  {
    DifferentialOperator result;
    result.term_list.clear();
    for (unsigned int i = 0; i < dim; ++i)
      for (unsigned int j = i; j < dim; ++j)
        {
          MultiIndex<dim> alpha{};
          alpha[i] += 2;
          alpha[j] += 2;
          result.term_list.emplace_back(i == j ? 1. : 2., alpha);
        }
    result.operator_name = "bilaplacian";
    return result;
  }



  template <int dim>
  std::vector<DifferentialOperator<dim>>
  DifferentialOperator<dim>::gradient()
  {
    std::vector<DifferentialOperator> result;
    for (unsigned int i = 0; i < dim; ++i)
      result.push_back(partial(i));
    return result;
  }



  template <int dim>
  std::vector<DifferentialOperator<dim>>
  DifferentialOperator<dim>::hessian()
  {
    std::vector<DifferentialOperator> result;
    for (unsigned int i = 0; i < dim; ++i)
      for (unsigned int j = i; j < dim; ++j)
        {
          MultiIndex<dim> alpha{};
          alpha[i] += 1;
          alpha[j] += 1;
          result.emplace_back(alpha);
        }
    return result;
  }



  template <int dim>
  unsigned int
  DifferentialOperator<dim>::order() const
  {
    unsigned int result = 0;
    for (const auto &term : term_list)
      result = std::max(result, mollifem::order<dim>(term.second));
    return result;
  }



  template <int dim>
  bool
  DifferentialOperator<dim>::is_identity() const
  {
    return term_list.size() == 1 && term_list.front().first == 1. &&
           order() == 0;
  }



  template <int dim>
  const std::vector<std::pair<double, MultiIndex<dim>>> &
  DifferentialOperator<dim>::terms() const
  {
    return term_list;
  }



  template <int dim>
  const std::string &
  DifferentialOperator<dim>::name() const
  {
    return operator_name;
  }



#define MOLLIFEM_INSTANTIATE(dim)                                     \
  template unsigned int order<dim>(const MultiIndex<dim> &);         \
  template double       factorial<dim>(const MultiIndex<dim> &);     \
  template std::vector<MultiIndex<dim>> multi_indices_up_to<dim>(    \
    const unsigned int);                                             \
  template class DifferentialOperator<dim>;

  MOLLIFEM_INSTANTIATE(1)
  MOLLIFEM_INSTANTIATE(2)
  MOLLIFEM_INSTANTIATE(3)
#undef MOLLIFEM_INSTANTIATE
} // namespace mollifem
