#ifndef mollifem_models_pointwise_h
#define mollifem_models_pointwise_h

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/base/types.h>

#include <deal.II/differentiation/ad.h>

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The automatic-differentiation number of all linearizations: Sacado's
   * forward-mode DFad<double>, as deal.II's Differentiation::AD names it.
   */
  using ADNumber = typename Differentiation::AD::NumberTraits<
    double,
    Differentiation::AD::NumberTypes::sacado_dfad>::ad_type;

  /**
   * Everything a model's weak form sees at one quadrature point: the state
   * $u$ (all components) and its gradient, the coefficient $q$, the position
   * and the time; on boundary faces also the outward normal and the boundary
   * id. @p Number is double for evaluation and ADNumber for linearization.
   */
  template <int dim, typename Number>
  struct PointState
  {
    std::vector<Number>                 value;
    std::vector<Tensor<1, dim, Number>> gradient;
    Number                              coefficient = Number();
    Point<dim>                          point;
    double                              time = 0.;
    Tensor<1, dim>                      normal;
    types::boundary_id                  boundary_id = 0;

    explicit PointState(const unsigned int n_components = 0)
      : value(n_components)
      , gradient(n_components)
    {}

    /**
     * Set the state from the values and gradients of all components at one
     * point (as FEValues::get_function_values() and
     * get_function_gradients() give them), and the coefficient, position
     * and time.
     */
    template <typename ValueVector>
    void
    set(const ValueVector &                         values,
        const std::vector<Tensor<1, dim, double>> &gradients,
        const double                                coefficient_value,
        const Point<dim> &                          position,
        const double                                t)
    {
      for (unsigned int c = 0; c < value.size(); ++c)
        {
          value[c]    = values[c];
          gradient[c] = gradients[c];
        }
      coefficient = coefficient_value;
      point       = position;
      time        = t;
    }
  };

  /**
   * A model's pointwise weak form: with test function $v$ (one component at
   * a time), the residual is
   * $\int_\Omega \sum_c (r_{0,c} v_c + r_{1,c} \cdot \nabla v_c)\,dx$, where
   * @p value holds $r_0$ and @p flux holds $r_1$. On boundary faces only
   * @p value is used: $\int_{\partial\Omega} \sum_c r_{0,c} v_c\,ds$.
   */
  template <int dim, typename Number>
  struct PointResidual
  {
    std::vector<Number>                 value;
    std::vector<Tensor<1, dim, Number>> flux;

    explicit PointResidual(const unsigned int n_components = 0)
      : value(n_components)
      , flux(n_components)
    {}

    /// Set all entries to zero.
    void
    clear()
    {
      for (auto &v : value)
        v = Number();
      for (auto &f : flux)
        f = Tensor<1, dim, Number>();
    }
  };

  /**
   * Derivatives of a pointwise residual with respect to the state at a point.
   * Independent variables of component $c$ sit at positions
   * $c(1+d) + 0$ (the value $u_c$) and $c(1+d) + 1 + e$ (the gradient
   * component $\partial_e u_c$); the coefficient $q$ comes last.
   */
  template <int dim>
  struct PointLinearization
  {
    /// Row c: derivatives of $r_{0,c}$.
    FullMatrix<double> d_value;
    /// Row c d + e: derivatives of the component e of $r_{1,c}$.
    FullMatrix<double> d_flux;

    /// Position of $u_c$ among the independent variables.
    static unsigned int
    value_index(const unsigned int c)
    {
      return c * (1 + dim);
    }

    /// Position of $\partial_e u_c$ among the independent variables.
    static unsigned int
    gradient_index(const unsigned int c, const unsigned int e)
    {
      return c * (1 + dim) + 1 + e;
    }
  };

  /**
   * Linearizes pointwise residuals by forward-mode AD. Holds the AD work
   * space, so that one object serves all points of an assembly loop.
   */
  template <int dim>
  class PointLinearizer
  {
  public:
    explicit PointLinearizer(const unsigned int n_components);

    /**
     * Evaluate @p residual (a callable taking a PointState<dim, ADNumber>
     * and a PointResidual<dim, ADNumber>) at @p state with the state values
     * and gradients (and, if @p with_coefficient, the coefficient) as
     * independent variables, and store the derivatives in @p result.
     */
    template <typename Residual>
    void
    linearize(const PointState<dim, double> &state,
              const Residual &               residual,
              const bool                     with_coefficient,
              PointLinearization<dim> &      result);

    /**
     * The derivatives of @p residual with respect to the coefficient only:
     * $\partial r_{0,c}/\partial q$ into @p d_value and
     * $\partial r_{1,c}/\partial q$ into @p d_flux, with one independent
     * variable (what adjoint gradients need, at every quadrature point of
     * every time step).
     */
    template <typename Residual>
    void
    linearize_coefficient(const PointState<dim, double> &state,
                          const Residual &               residual,
                          std::vector<double> &          d_value,
                          std::vector<Tensor<1, dim>> &  d_flux);

  private:
    /// Copy position, time, normal and boundary id into ad_state.
    void
    copy_geometry(const PointState<dim, double> &state);

    const unsigned int              n_components;
    PointState<dim, ADNumber>       ad_state;
    PointResidual<dim, ADNumber>    ad_residual;
  };



  template <int dim>
  PointLinearizer<dim>::PointLinearizer(const unsigned int n_components)
    : n_components(n_components)
    , ad_state(n_components)
    , ad_residual(n_components)
  {}



  template <int dim>
  template <typename Residual>
  void
  PointLinearizer<dim>::linearize(const PointState<dim, double> &state,
                                  const Residual &               residual,
                                  const bool                     with_coefficient,
                                  PointLinearization<dim> &      result)
  {
    const unsigned int n_state = n_components * (1 + dim);
    const unsigned int n_independent = n_state + (with_coefficient ? 1 : 0);

    for (unsigned int c = 0; c < n_components; ++c)
      {
        ad_state.value[c] =
          ADNumber(n_independent,
                   PointLinearization<dim>::value_index(c),
                   state.value[c]);
        for (unsigned int e = 0; e < dim; ++e)
          ad_state.gradient[c][e] =
            ADNumber(n_independent,
                     PointLinearization<dim>::gradient_index(c, e),
                     state.gradient[c][e]);
      }
    ad_state.coefficient = with_coefficient ?
                             ADNumber(n_independent, n_state, state.coefficient) :
                             ADNumber(state.coefficient);
    copy_geometry(state);

    ad_residual.clear();
    residual(ad_state, ad_residual);

    result.d_value.reinit(n_components, n_independent);
    result.d_flux.reinit(n_components * dim, n_independent);
    // An entry that does not depend on any input has no derivative array.
    const auto derivative = [](const ADNumber &x, const unsigned int i) {
      return (static_cast<unsigned int>(x.size()) > i) ? x.fastAccessDx(i) : 0.;
    };
    for (unsigned int c = 0; c < n_components; ++c)
      for (unsigned int i = 0; i < n_independent; ++i)
        {
          result.d_value(c, i) = derivative(ad_residual.value[c], i);
          for (unsigned int e = 0; e < dim; ++e)
            result.d_flux(c * dim + e, i) =
              derivative(ad_residual.flux[c][e], i);
        }
  }


  template <int dim>
  void
  PointLinearizer<dim>::copy_geometry(const PointState<dim, double> &state)
  {
    ad_state.point       = state.point;
    ad_state.time        = state.time;
    ad_state.normal      = state.normal;
    ad_state.boundary_id = state.boundary_id;
  }



  template <int dim>
  template <typename Residual>
  void
  PointLinearizer<dim>::linearize_coefficient(
    const PointState<dim, double> &state,
    const Residual &               residual,
    std::vector<double> &          d_value,
    std::vector<Tensor<1, dim>> &  d_flux)
  {
    for (unsigned int c = 0; c < n_components; ++c)
      {
        ad_state.value[c] = ADNumber(state.value[c]);
        for (unsigned int e = 0; e < dim; ++e)
          ad_state.gradient[c][e] = ADNumber(state.gradient[c][e]);
      }
    ad_state.coefficient = ADNumber(1, 0, state.coefficient);
    copy_geometry(state);

    ad_residual.clear();
    residual(ad_state, ad_residual);

    const auto derivative = [](const ADNumber &x) {
      return (x.size() > 0) ? x.fastAccessDx(0) : 0.;
    };
    d_value.resize(n_components);
    d_flux.resize(n_components);
    for (unsigned int c = 0; c < n_components; ++c)
      {
        d_value[c] = derivative(ad_residual.value[c]);
        for (unsigned int e = 0; e < dim; ++e)
          d_flux[c][e] = derivative(ad_residual.flux[c][e]);
      }
  }
} // namespace mollifem

#endif
