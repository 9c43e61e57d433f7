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



  namespace
  {
    /// The model's operators of stage 1, which it must have.
    template <int dim>
    std::vector<DifferentialOperator<dim>>
    strong_form_operators(const Model<dim> &model)
    {
      std::vector<DifferentialOperator<dim>> operators =
        model.equation_error_operators();
      AssertThrow(!operators.empty(),
                  ExcMessage("The model '" + model.name() +
                             "' has no strong form for stage 1 "
                             "(Model::equation_error_operators())."));
      return operators;
    }
  } // namespace



  std::unique_ptr<TimeConvolution>
  make_time_mollifier(const MollifierParameters &mollifier,
                      const std::vector<double> &times,
                      const double               time_radius)
  {
    AssertThrow(times.size() >= 2,
                ExcMessage("d/dt of transient data needs at least two "
                           "snapshots; there are " +
                           std::to_string(times.size()) + "."));
    AssertThrow(time_radius >= 0.,
                ExcMessage("The radius of the time kernel must be >= 0 (0: "
                           "four times the mean spacing of the snapshots)."));
    const double mean_spacing =
      (times.back() - times.front()) / (times.size() - 1);
    MollifierParameters parameters = mollifier;
    // The spatial reproduction degree is not meant for time (few
    // snapshots): d/dt with the automatic degree.
    parameters.reproduction_degree = -1;
    parameters.radius = {time_radius > 0. ? time_radius : 4. * mean_spacing};
    auto time_mollifier = std::make_unique<TimeConvolution>(parameters, 1);
    time_mollifier->reinit(times, times);
    return time_mollifier;
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
    ConvolutionOperator<dim> convolution(mollifier, strong_form_operators(model));
    std::vector<std::vector<LA::Vector>> mollified;
    convolution.convolve(points, volumes, equation_error.targets(), {values}, mollified);
    add_model_equations(model, mollified.front(), nullptr, 0., equation_error, weight);
  }



  template <int dim>
  void
  add_mollified_equations(const Model<dim> &                      model,
                          const MollifierParameters &             mollifier,
                          const std::vector<Point<dim>> &         points,
                          const std::vector<double> &             volumes,
                          const std::vector<double> &             times,
                          const std::vector<std::vector<double>> &snapshots,
                          EquationError<dim> &                    equation_error,
                          const double                            weight,
                          const double                            time_radius)
  {
    AssertThrow(snapshots.size() == times.size(),
                ExcMessage("One snapshot per time: " +
                           std::to_string(snapshots.size()) +
                           " snapshots for " + std::to_string(times.size()) +
                           " times."));
    const std::vector<DifferentialOperator<dim>> operators =
      strong_form_operators(model);
    AssertThrow(operators.front().is_identity(),
                ExcMessage("Transient stage 1 needs the model's first "
                           "operator of stage 1 to be the identity."));
    const auto time_mollifier = make_time_mollifier(mollifier, times, time_radius);
    ConvolutionOperator<dim>             convolution(mollifier, operators);
    std::vector<std::vector<LA::Vector>> mollified;
    convolution.convolve(points, volumes, equation_error.targets(), snapshots, mollified);
    std::vector<LA::Vector> values;
    for (const auto &fields : mollified)
      values.push_back(fields.front());
    LA::Vector rate;
    for (unsigned int s = 0; s < times.size(); ++s)
      {
        time_mollifier->apply(1, s, values, rate);
        add_model_equations(model, mollified[s], &rate, times[s], equation_error, weight);
      }
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
                                             const double);              \
  template void add_mollified_equations<dim>(                            \
    const Model<dim> &,                                                  \
    const MollifierParameters &,                                         \
    const std::vector<Point<dim>> &,                                     \
    const std::vector<double> &,                                         \
    const std::vector<double> &,                                         \
    const std::vector<std::vector<double>> &,                            \
    EquationError<dim> &,                                                \
    const double,                                                        \
    const double);
  MOLLIFEM_INSTANTIATE(1)
  MOLLIFEM_INSTANTIATE(2)
  MOLLIFEM_INSTANTIATE(3)
#undef MOLLIFEM_INSTANTIATE
} // namespace mollifem
