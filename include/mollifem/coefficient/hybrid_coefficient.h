#ifndef mollifem_coefficient_hybrid_coefficient_h
#define mollifem_coefficient_hybrid_coefficient_h

#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/coefficient/neural_coefficient.h>
#include <mollifem/inverse/regularization.h>

#include <memory>

namespace mollifem
{
  /**
   * A finite-element/neural hybrid coefficient: $q = T(m_h + y_\theta)$ with
   * an FE field $m_h$ (FEFieldCoefficient, optionally mollified) and a
   * neural field $y_\theta$ (NeuralCoefficient), both without transform, and
   * $T$ the identity or exp (log transform). The two parts are optimized
   * jointly: the parameter vector is the concatenation $(m, \theta)$, one
   * distributed vector whose first entries are the FE field's (owned as in
   * its DoFHandler) and whose last ones are the weights (owned by rank 0),
   * so that ROL, the objective and the optimizer see one vector; split()
   * and merge() convert between it and the parts' own vectors.
   *
   * The network starts near zero (its output layer small, its bias 0), so
   * that $q$ starts at the FE field's initial guess.
   */
  template <int dim>
  class HybridCoefficient : public ParametricCoefficient<dim>
  {
  public:
    HybridCoefficient(const Triangulation<dim> &triangulation,
                      const unsigned int        fe_degree,
                      const NeuralParameters &  architecture,
                      const bool                log_transform);

    /// The FE part (to mollify it, for its space and regularization).
    FEFieldCoefficient<dim> &
    fe_part();

    const FEFieldCoefficient<dim> &
    fe_part() const;

    const NeuralCoefficient<dim> &
    neural_part() const;

    /// Set the network's weights from a file (NeuralCoefficient::
    /// read_weights()), keeping the FE part. Collective.
    void
    read_weights(const std::string &filename);

    /// Set the FE part so that $T(m_h)$ interpolates @p function (the
    /// network is left as it is).
    void
    interpolate_function(const Function<dim> &function);

    /// Set the FE part's parameters (its own layout), keeping the network.
    void
    set_fe_parameters(const LA::Vector &fe_parameters);

    /// The parts of a hybrid vector @p v (each in its own layout).
    void
    split(const LA::Vector &v, LA::Vector &fe, LA::Vector &neural) const;

    /// @p v = the hybrid vector of the parts.
    void
    merge(const LA::Vector &fe, const LA::Vector &neural, LA::Vector &v) const;

    LA::Vector
    make_parameter_vector() const override;

    void
    set_parameters(const LA::Vector &parameters) override;

    const LA::Vector &
    parameters() const override;

    void
    set_direction(const LA::Vector &direction) override;

    void
    values(const FEValues<dim> &fe_values,
           std::vector<double> &values) const override;

    void
    direction_values(const FEValues<dim> &fe_values,
                     std::vector<double> &values) const override;

    /// Collects into the parts' own gradients; finish_gradient() adds them
    /// to @p gradient.
    void
    add_gradient(const FEValues<dim> &      fe_values,
                 const std::vector<double> &weights,
                 LA::Vector &               gradient) const override;

    void
    finish_gradient(LA::Vector &gradient) const override;

    std::string
    description() const override;

  private:
    /// owned_parameters = the parts' parameters, after a part changed.
    void
    store_parameters();

    /// The sums s = m_h + y at the points of @p fe_values.
    void
    sums(const FEValues<dim> &fe_values) const;

    /// T'(s) / the transform.
    double
    transform(const double s) const;

    double
    transform_derivative(const double s) const;

    FEFieldCoefficient<dim> fe;
    NeuralCoefficient<dim>  neural;
    const bool              log_transform;
    IndexSet                owned;
    LA::Vector              owned_parameters;

    mutable std::vector<double> fe_values_buffer, neural_values_buffer,
      direction_buffer, sum_buffer, part_weights;
    /// The parts' gradients collected by add_gradient().
    mutable LA::Vector fe_gradient, neural_gradient;
  };



  /**
   * The regularization of a HybridCoefficient: that of the FE part (any
   * FE regularization, weight alpha) plus the weight decay of the network
   * with weight factor * alpha (none for factor 0). Its Hessian and
   * preconditioner are block diagonal. set_weight() scales both.
   */
  template <int dim>
  class HybridRegularization : public ParameterRegularization
  {
  public:
    HybridRegularization(const HybridCoefficient<dim> &    field,
                         std::unique_ptr<ParameterRegularization> fe_regularization,
                         const double                      neural_factor);

    double
    value(const LA::Vector &parameters) const override;

    void
    gradient(const LA::Vector &parameters, LA::Vector &gradient) const override;

    void
    hessian_vmult(const LA::Vector &parameters,
                  const LA::Vector &direction,
                  LA::Vector &      result) const override;

    void
    apply_preconditioner_inverse(const LA::Vector &direction,
                                 LA::Vector &      result) const override;

    const std::string &
    type() const override;

    double
    weight() const override;

    void
    set_weight(const double weight) override;

  private:
    /// Apply @p f to the parts of @p a (and @p b) and merge the results.
    template <typename Operation>
    void
    blockwise(const LA::Vector &a,
              const LA::Vector *b,
              LA::Vector &      result,
              const Operation & f) const;

    const HybridCoefficient<dim> &        field;
    std::unique_ptr<ParameterRegularization> fe_regularization;
    WeightDecay                           neural_regularization;
    const double                          neural_factor;
  };
} // namespace mollifem

#endif
