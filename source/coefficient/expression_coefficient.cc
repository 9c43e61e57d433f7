#include <mollifem/coefficient/expression_coefficient.h>

namespace mollifem
{
  template <int dim>
  ExpressionCoefficient<dim>::ExpressionCoefficient(
    const std::string &expression,
    const std::string &parameter_path)
    : expression(expression, parameter_path)
  {}



  template <int dim>
  void
  ExpressionCoefficient<dim>::values(const FEValues<dim> &fe_values,
                                     std::vector<double> &values) const
  {
    values.resize(fe_values.n_quadrature_points);
    for (unsigned int q = 0; q < values.size(); ++q)
      values[q] = expression.value(fe_values.quadrature_point(q));
  }



  template <int dim>
  std::string
  ExpressionCoefficient<dim>::description() const
  {
    return "expression " + expression.text();
  }



  template <int dim>
  const Function<dim> &
  ExpressionCoefficient<dim>::function() const
  {
    return expression;
  }



  template class ExpressionCoefficient<1>;
  template class ExpressionCoefficient<2>;
  template class ExpressionCoefficient<3>;
} // namespace mollifem
