#include <mollifem/coefficient/expression_coefficient.h>

namespace mollifem
{
  template <int dim>
  FunctionCoefficient<dim>::FunctionCoefficient(
    std::shared_ptr<const Function<dim>> function,
    const std::string &                  description)
    : field(std::move(function))
    , text(description)
  {}



  template <int dim>
  void
  FunctionCoefficient<dim>::values(const FEValues<dim> &fe_values,
                                   std::vector<double> &values) const
  {
    values.resize(fe_values.n_quadrature_points);
    for (unsigned int q = 0; q < values.size(); ++q)
      values[q] = field->value(fe_values.quadrature_point(q));
  }



  template <int dim>
  std::string
  FunctionCoefficient<dim>::description() const
  {
    return text;
  }



  template <int dim>
  const Function<dim> &
  FunctionCoefficient<dim>::function() const
  {
    return *field;
  }



  namespace
  {
    template <int dim>
    std::shared_ptr<const Expression<dim>>
    make_expression(const std::string &expression,
                    const std::string &parameter_path)
    {
      return std::make_shared<const Expression<dim>>(expression, parameter_path);
    }
  } // namespace



  template <int dim>
  ExpressionCoefficient<dim>::ExpressionCoefficient(
    const std::string &expression,
    const std::string &parameter_path)
    : FunctionCoefficient<dim>(make_expression<dim>(expression, parameter_path),
                               "")
  {}



  template <int dim>
  std::string
  ExpressionCoefficient<dim>::description() const
  {
    return "expression " +
           static_cast<const Expression<dim> &>(this->function()).text();
  }



  template class FunctionCoefficient<1>;
  template class FunctionCoefficient<2>;
  template class FunctionCoefficient<3>;
  template class ExpressionCoefficient<1>;
  template class ExpressionCoefficient<2>;
  template class ExpressionCoefficient<3>;
} // namespace mollifem
