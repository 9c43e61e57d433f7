#include <mollifem/inverse/stage_1.h>
#include <mollifem/mollifier/convolution_operator.h>

namespace mollifem
{
  template <int dim>
  void
  add_model_equations(const Model<dim> &             model,
                      const std::vector<LA::Vector> &fields,
                      const LA::Vector *             rate,
                      const double                   time,
                      EquationError<dim> &           equation_error,
                      const double                   weight)
  {
    std::vector<double> derivatives(fields.size());
    equation_error.add_equations(
      [&](const types::global_dof_index row,
          const Point<dim> &            point,
          double &                      a,
          Tensor<1, dim> &              b,
          double &                      g) {
        for (unsigned int o = 0; o < fields.size(); ++o)
          derivatives[o] = fields[o][row];
        model.equation_error(
          point, time, derivatives, rate ? (*rate)[row] : 0., a, b, g);
      },
      weight);
  }



  template <int dim>
  void
  add_mollified_equations(const Model<dim> &             model,
                          const MollifierParameters &    mollifier,
                          const std::vector<Point<dim>> &points,
                          const std::vector<double> &    volumes,
                          const std::vector<double> &    values,
                          EquationError<dim> &           equation_error,
                          const double                   weight)
  {
    const std::vector<DifferentialOperator<dim>> operators =
      model.equation_error_operators();
    AssertThrow(!operators.empty(),
                ExcMessage("The model '" + model.name() +
                           "' has no strong form for stage 1 "
                           "(Model::equation_error_operators())."));
    ConvolutionOperator<dim>             convolution(mollifier, operators);
    std::vector<std::vector<LA::Vector>> mollified;
    convolution.convolve(points, volumes, equation_error.targets(), {values}, mollified);
    add_model_equations(model, mollified.front(), nullptr, 0., equation_error, weight);
  }



#define MOLLIFEM_INSTANTIATE(dim)                                        \
  template void add_model_equations<dim>(const Model<dim> &,             \
                                         const std::vector<LA::Vector> &, \
                                         const LA::Vector *,             \
                                         const double,                   \
                                         EquationError<dim> &,           \
                                         const double);                  \
  template void add_mollified_equations<dim>(const Model<dim> &,         \
                                             const MollifierParameters &, \
                                             const std::vector<Point<dim>> &, \
                                             const std::vector<double> &, \
                                             const std::vector<double> &, \
                                             EquationError<dim> &,       \
                                             const double);
  MOLLIFEM_INSTANTIATE(1)
  MOLLIFEM_INSTANTIATE(2)
  MOLLIFEM_INSTANTIATE(3)
#undef MOLLIFEM_INSTANTIATE
} // namespace mollifem
