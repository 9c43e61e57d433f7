#ifndef mollifem_models_model_h
#define mollifem_models_model_h

#include <deal.II/base/function.h>

#include <deal.II/fe/component_mask.h>
#include <deal.II/fe/fe.h>

#include <mollifem/base/registry.h>
#include <mollifem/mollifier/differential_operator.h>
#include <mollifem/models/pointwise.h>

#include <memory>
#include <string>
#include <vector>

namespace mollifem
{
  /**
   * Dirichlet data on one boundary: $u_c = g_c(x, t)$ for the components in
   * @p components, on faces with id @p boundary_id.
   */
  template <int dim>
  struct DirichletBoundary
  {
    types::boundary_id             boundary_id;
    std::shared_ptr<Function<dim>> data;
    ComponentMask                  components;
  };

  /**
   * A forward model: a PDE for a state $u$ (one or more components) that
   * depends on a scalar coefficient field $q$, in the form
   * $$\partial_t m(u) + F(u; q, t) = 0,$$
   * (steady models: $F(u; q) = 0$), with $F$ given by its pointwise weak form
   * (PointResidual) and $m$, the storage term, pointwise as well.
   *
   * This pointwise form is all a model writes: assembly, Newton's method,
   * time stepping and every linearization (through Sacado) are done by the
   * framework, for every model alike. Derive from PointwiseModel, which turns
   * one templated residual into the double and AD versions below.
   */
  template <int dim>
  class Model
  {
  public:
    virtual ~Model() = default;

    /// The registered name, e.g. "heat".
    virtual std::string
    name() const = 0;

    /// Names of the state components, e.g. {"u"}.
    virtual std::vector<std::string>
    component_names() const = 0;

    unsigned int
    n_components() const
    {
      return component_names().size();
    }

    /// The finite element of the state (primitive: FE_Q or FESystem of them).
    virtual std::unique_ptr<FiniteElement<dim>>
    make_finite_element() const = 0;

    /// Symbol of the coefficient field, e.g. "k".
    virtual std::string
    coefficient_name() const = 0;

    /// F is affine in u and m is linear (one Newton step solves).
    virtual bool
    is_linear() const = 0;

    /// The Jacobian is symmetric (CG can solve it).
    virtual bool
    is_symmetric() const = 0;

    /// The model has a time derivative.
    virtual bool
    is_transient() const = 0;

    /// The component that observations measure.
    virtual unsigned int
    observed_component() const
    {
      return 0;
    }

    /// Dirichlet boundaries (time-dependent data get set_time() calls).
    virtual std::vector<DirichletBoundary<dim>>
    dirichlet_boundaries() const
    {
      return {};
    }

    /// Initial state of transient models (n_components() components).
    virtual std::shared_ptr<Function<dim>>
    initial_condition() const
    {
      return std::make_shared<Functions::ZeroFunction<dim>>(n_components());
    }

    /// Whether faces with this boundary id carry a boundary_residual().
    virtual bool
    has_boundary_residual(const types::boundary_id) const
    {
      return false;
    }

    /// $F$: volume terms at a point.
    virtual void
    residual(const PointState<dim, double> &state,
             PointResidual<dim, double> &   result) const = 0;
    virtual void
    residual(const PointState<dim, ADNumber> &state,
             PointResidual<dim, ADNumber> &   result) const = 0;

    /// $m(u)$ at a point (result.value only).
    virtual void
    storage(const PointState<dim, double> &state,
            PointResidual<dim, double> &   result) const = 0;
    virtual void
    storage(const PointState<dim, ADNumber> &state,
            PointResidual<dim, ADNumber> &   result) const = 0;

    /**
     * Stage 1 for models whose strong form needs higher derivatives of the
     * observed field (a fourth-order model: its bi-Laplacian): the
     * differential operators whose mollified values equation_error() needs.
     * Empty (the default): the model has no such strong form; stage 1 then
     * handles heat and steady models without flux itself.
     */
    virtual std::vector<DifferentialOperator<dim>>
    equation_error_operators() const
    {
      return {};
    }

    /**
     * The strong form at @p point and @p time as an equation
     * $a q + b\cdot\nabla q = g$ for the coefficient, given the mollified
     * observed field: @p derivatives holds the values of
     * equation_error_operators() in their order, @p rate its time
     * derivative (0 for steady data).
     */
    virtual void
    equation_error(const Point<dim> &         point,
                   const double               time,
                   const std::vector<double> &derivatives,
                   const double               rate,
                   double &                   a,
                   Tensor<1, dim> &           b,
                   double &                   g) const
    {
      (void)point;
      (void)time;
      (void)derivatives;
      (void)rate;
      (void)a;
      (void)b;
      (void)g;
      AssertThrow(false,
                  ExcMessage("The model '" + name() +
                             "' has no strong form for stage 1."));
    }

    /// Boundary terms of $F$ at a face point (result.value only).
    virtual void
    boundary_residual(const PointState<dim, double> &state,
                      PointResidual<dim, double> &   result) const = 0;
    virtual void
    boundary_residual(const PointState<dim, ADNumber> &state,
                      PointResidual<dim, ADNumber> &   result) const = 0;
  };



  /**
   * Implements the virtual pointwise functions of Model from templates of the
   * derived class (curiously recurring template pattern):
   * @code
   * template <typename Number>
   * void point_residual(const PointState<dim, Number> &,
   *                     PointResidual<dim, Number> &) const;
   * @endcode
   * and optionally point_storage (default: $m(u) = u$) and
   * point_boundary_residual (default: none).
   */
  template <int dim, typename Derived>
  class PointwiseModel : public Model<dim>
  {
  public:
    void
    residual(const PointState<dim, double> &state,
             PointResidual<dim, double> &   result) const final
    {
      derived().point_residual(state, result);
    }
    void
    residual(const PointState<dim, ADNumber> &state,
             PointResidual<dim, ADNumber> &   result) const final
    {
      derived().point_residual(state, result);
    }
    void
    storage(const PointState<dim, double> &state,
            PointResidual<dim, double> &   result) const final
    {
      derived().point_storage(state, result);
    }
    void
    storage(const PointState<dim, ADNumber> &state,
            PointResidual<dim, ADNumber> &   result) const final
    {
      derived().point_storage(state, result);
    }
    void
    boundary_residual(const PointState<dim, double> &state,
                      PointResidual<dim, double> &   result) const final
    {
      derived().point_boundary_residual(state, result);
    }
    void
    boundary_residual(const PointState<dim, ADNumber> &state,
                      PointResidual<dim, ADNumber> &   result) const final
    {
      derived().point_boundary_residual(state, result);
    }

    /// Default storage term: $m(u) = u$.
    template <typename Number>
    void
    point_storage(const PointState<dim, Number> &state,
                  PointResidual<dim, Number> &   result) const
    {
      for (unsigned int c = 0; c < state.value.size(); ++c)
        result.value[c] = state.value[c];
    }

    /// Default boundary term: none.
    template <typename Number>
    void
    point_boundary_residual(const PointState<dim, Number> &,
                            PointResidual<dim, Number> &) const
    {}

  private:
    const Derived &
    derived() const
    {
      return static_cast<const Derived &>(*this);
    }
  };



  /**
   * The registry of models. A model registers with
   * MOLLIFEM_REGISTER_MODEL(Class, "name", "description") in its source file;
   * Class<dim> needs a static declare_parameters(ParameterHandler &) that
   * declares its parameters inside `subsection Model`, and a constructor
   * from ParameterHandler & (positioned at the top level).
   */
  template <int dim>
  using ModelRegistry = Registry<Model<dim>>;

/// Register a model class template for dim = 1, 2, 3.
#define MOLLIFEM_REGISTER_MODEL(classname, name, description) \
  MOLLIFEM_REGISTER_PLUGIN(model, ::mollifem::Model, classname, name, description)
} // namespace mollifem

#endif
