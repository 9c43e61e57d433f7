#include <mollifem/coefficient/hybrid_coefficient.h>

#include <deal.II/base/function.h>

#include <cmath>

namespace mollifem
{
  namespace
  {
    /// The architecture of a hybrid's network: starts near zero.
    NeuralParameters
    starting_at_zero(NeuralParameters architecture)
    {
      architecture.initial_value = 0.;
      return architecture;
    }
  } // namespace



  template <int dim>
  HybridCoefficient<dim>::HybridCoefficient(
    const Triangulation<dim> &triangulation,
    const unsigned int        fe_degree,
    const NeuralParameters &  architecture,
    const bool                log_transform)
    : fe(triangulation, fe_degree, false)
    , neural(triangulation, starting_at_zero(architecture), false)
    , log_transform(log_transform)
  {
    const unsigned int n_fe = fe.dof_handler().n_dofs();
    const unsigned int n    = n_fe + neural.n_parameters();
    owned.set_size(n);
    owned.add_indices(fe.dof_handler().locally_owned_dofs());
    if (Utilities::MPI::this_mpi_process(triangulation.get_communicator()) == 0)
      owned.add_range(n_fe, n);
    owned.compress();
    owned_parameters = make_parameter_vector();
    store_parameters();
    fe_gradient     = fe.make_parameter_vector();
    neural_gradient = neural.make_parameter_vector();
  }



  template <int dim>
  FEFieldCoefficient<dim> &
  HybridCoefficient<dim>::fe_part()
  {
    return fe;
  }



  template <int dim>
  const FEFieldCoefficient<dim> &
  HybridCoefficient<dim>::fe_part() const
  {
    return fe;
  }



  template <int dim>
  const NeuralCoefficient<dim> &
  HybridCoefficient<dim>::neural_part() const
  {
    return neural;
  }



  template <int dim>
  void
  HybridCoefficient<dim>::read_weights(const std::string &filename)
  {
    neural.read_weights(filename);
    store_parameters();
  }



  template <int dim>
  void
  HybridCoefficient<dim>::store_parameters()
  {
    merge(fe.parameters(), neural.parameters(), owned_parameters);
  }



  template <int dim>
  void
  HybridCoefficient<dim>::split(const LA::Vector &v,
                                LA::Vector &      fe_vector,
                                LA::Vector &      neural_vector) const
  {
    const unsigned int n_fe = fe.dof_handler().n_dofs();
    fe_vector               = fe.make_parameter_vector();
    neural_vector           = neural.make_parameter_vector();
    for (const auto i : fe_vector.locally_owned_elements())
      fe_vector[i] = v[i];
    for (const auto j : neural_vector.locally_owned_elements())
      neural_vector[j] = v[n_fe + j];
    fe_vector.compress(VectorOperation::insert);
    neural_vector.compress(VectorOperation::insert);
  }



  template <int dim>
  void
  HybridCoefficient<dim>::merge(const LA::Vector &fe_vector,
                                const LA::Vector &neural_vector,
                                LA::Vector &      v) const
  {
    const unsigned int n_fe = fe.dof_handler().n_dofs();
    if (v.size() != owned.size())
      v = make_parameter_vector();
    for (const auto i : fe_vector.locally_owned_elements())
      v[i] = fe_vector[i];
    for (const auto j : neural_vector.locally_owned_elements())
      v[n_fe + j] = neural_vector[j];
    v.compress(VectorOperation::insert);
  }



  template <int dim>
  LA::Vector
  HybridCoefficient<dim>::make_parameter_vector() const
  {
    return LA::Vector(owned, fe.dof_handler().get_triangulation().get_communicator());
  }



  template <int dim>
  void
  HybridCoefficient<dim>::set_parameters(const LA::Vector &parameters)
  {
    LA::Vector fe_vector, neural_vector;
    split(parameters, fe_vector, neural_vector);
    fe.set_parameters(fe_vector);
    neural.set_parameters(neural_vector);
    store_parameters();
  }



  template <int dim>
  void
  HybridCoefficient<dim>::set_fe_parameters(const LA::Vector &fe_parameters)
  {
    fe.set_parameters(fe_parameters);
    store_parameters();
  }



  template <int dim>
  void
  HybridCoefficient<dim>::interpolate_function(const Function<dim> &function)
  {
    fe.interpolate_function(inverse_transform(function, log_transform));
    store_parameters();
  }



  template <int dim>
  const LA::Vector &
  HybridCoefficient<dim>::parameters() const
  {
    return owned_parameters;
  }



  template <int dim>
  void
  HybridCoefficient<dim>::set_direction(const LA::Vector &direction)
  {
    LA::Vector fe_vector, neural_vector;
    split(direction, fe_vector, neural_vector);
    fe.set_direction(fe_vector);
    neural.set_direction(neural_vector);
  }



  template <int dim>
  double
  HybridCoefficient<dim>::transform(const double s) const
  {
    return log_transform ? std::exp(s) : s;
  }



  template <int dim>
  double
  HybridCoefficient<dim>::transform_derivative(const double s) const
  {
    return log_transform ? std::exp(s) : 1.;
  }



  template <int dim>
  void
  HybridCoefficient<dim>::sums(const FEValues<dim> &fe_values) const
  {
    fe.values(fe_values, fe_values_buffer);
    neural.values(fe_values, neural_values_buffer);
    sum_buffer.resize(fe_values_buffer.size());
    for (unsigned int q = 0; q < sum_buffer.size(); ++q)
      sum_buffer[q] = fe_values_buffer[q] + neural_values_buffer[q];
  }



  template <int dim>
  void
  HybridCoefficient<dim>::values(const FEValues<dim> &fe_values,
                                 std::vector<double> &values) const
  {
    sums(fe_values);
    values.resize(sum_buffer.size());
    for (unsigned int q = 0; q < values.size(); ++q)
      values[q] = transform(sum_buffer[q]);
  }



  template <int dim>
  void
  HybridCoefficient<dim>::direction_values(const FEValues<dim> &fe_values,
                                           std::vector<double> &values) const
  {
    sums(fe_values);
    fe.direction_values(fe_values, values);
    neural.direction_values(fe_values, direction_buffer);
    for (unsigned int q = 0; q < values.size(); ++q)
      values[q] = transform_derivative(sum_buffer[q]) *
                  (values[q] + direction_buffer[q]);
  }



  template <int dim>
  void
  HybridCoefficient<dim>::add_gradient(const FEValues<dim> &      fe_values,
                                       const std::vector<double> &weights,
                                       LA::Vector &) const
  {
    sums(fe_values);
    part_weights.resize(weights.size());
    for (unsigned int q = 0; q < weights.size(); ++q)
      part_weights[q] = weights[q] * transform_derivative(sum_buffer[q]);
    fe.add_gradient(fe_values, part_weights, fe_gradient);
    neural.add_gradient(fe_values, part_weights, neural_gradient);
  }



  template <int dim>
  void
  HybridCoefficient<dim>::finish_gradient(LA::Vector &gradient) const
  {
    // Collective: every rank comes here, with or without contributions.
    fe_gradient.compress(VectorOperation::add);
    fe.finish_gradient(fe_gradient);
    neural_gradient = 0.;
    neural.finish_gradient(neural_gradient);
    LA::Vector parts;
    merge(fe_gradient, neural_gradient, parts);
    gradient += parts;
    fe_gradient     = 0.;
  }



  template <int dim>
  std::string
  HybridCoefficient<dim>::description() const
  {
    std::string fe_description = fe.description();
    return std::string(log_transform ? "exp of a " : "a ") + "hybrid of an " +
           fe_description + " and a " + neural.description();
  }



  template <int dim>
  HybridRegularization<dim>::HybridRegularization(
    const HybridCoefficient<dim> &       field,
    std::unique_ptr<ParameterRegularization> fe_regularization,
    const double                         neural_factor)
    : field(field)
    , fe_regularization(std::move(fe_regularization))
    , neural_regularization(neural_factor > 0. ? "L2" : "none",
                            neural_factor * this->fe_regularization->weight(),
                            field.neural_part().parameters())
    , neural_factor(neural_factor)
  {}



  template <int dim>
  template <typename Operation>
  void
  HybridRegularization<dim>::blockwise(const LA::Vector &a,
                                       const LA::Vector *b,
                                       LA::Vector &      result,
                                       const Operation & f) const
  {
    LA::Vector a_fe, a_nn, b_fe, b_nn;
    field.split(a, a_fe, a_nn);
    if (b != nullptr)
      field.split(*b, b_fe, b_nn);
    LA::Vector r_fe = a_fe, r_nn = a_nn;
    f(*fe_regularization, a_fe, b_fe, r_fe);
    f(neural_regularization, a_nn, b_nn, r_nn);
    field.merge(r_fe, r_nn, result);
  }



  template <int dim>
  double
  HybridRegularization<dim>::value(const LA::Vector &parameters) const
  {
    LA::Vector fe_part, neural_part;
    field.split(parameters, fe_part, neural_part);
    return fe_regularization->value(fe_part) +
           neural_regularization.value(neural_part);
  }



  template <int dim>
  void
  HybridRegularization<dim>::gradient(const LA::Vector &parameters,
                                      LA::Vector &      gradient) const
  {
    blockwise(parameters, nullptr, gradient,
              [](const ParameterRegularization &r, const LA::Vector &m,
                 const LA::Vector &, LA::Vector &g) { r.gradient(m, g); });
  }



  template <int dim>
  void
  HybridRegularization<dim>::hessian_vmult(const LA::Vector &parameters,
                                           const LA::Vector &direction,
                                           LA::Vector &      result) const
  {
    blockwise(parameters, &direction, result,
              [](const ParameterRegularization &r, const LA::Vector &m,
                 const LA::Vector &v,
                 LA::Vector &Hv) { r.hessian_vmult(m, v, Hv); });
  }



  template <int dim>
  void
  HybridRegularization<dim>::apply_preconditioner_inverse(
    const LA::Vector &direction,
    LA::Vector &      result) const
  {
    blockwise(direction, nullptr, result,
              [](const ParameterRegularization &r, const LA::Vector &v,
                 const LA::Vector &,
                 LA::Vector &Pv) { r.apply_preconditioner_inverse(v, Pv); });
  }



  template <int dim>
  const std::string &
  HybridRegularization<dim>::type() const
  {
    return fe_regularization->type();
  }



  template <int dim>
  double
  HybridRegularization<dim>::weight() const
  {
    return fe_regularization->weight();
  }



  template <int dim>
  void
  HybridRegularization<dim>::set_weight(const double weight)
  {
    fe_regularization->set_weight(weight);
    neural_regularization.set_weight(neural_factor * weight);
  }



  template class HybridCoefficient<1>;
  template class HybridCoefficient<2>;
  template class HybridCoefficient<3>;
  template class HybridRegularization<1>;
  template class HybridRegularization<2>;
  template class HybridRegularization<3>;
} // namespace mollifem
