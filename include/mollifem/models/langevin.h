#ifndef mollifem_models_langevin_h
#define mollifem_models_langevin_h

#include <mollifem/base/parameters.h>
#include <mollifem/models/model.h>

namespace mollifem
{
  /**
   * Benchmark card B1: the (noise-averaged) first-order Langevin equation
   * with a time-varying forcing, the coefficient field:
   * $$\frac{du}{dt} = -\gamma\, u + \lambda(t) + f(t), \qquad u(t_0) = u_0,$$
   * posed on a one-dimensional mesh of the time interval: the coordinate x
   * of the mesh is the time t, and $\lambda$ is a field on that mesh like
   * any other coefficient. The mesh must put boundary id 0 at the initial
   * time only (`Grid arguments = t0 : T : true`, colorized).
   *
   * Pointwise weak form (continuous Galerkin in time with test functions
   * that vanish at t0): $r_0 = u' + \gamma u - \lambda - f$, no flux; the
   * form $\int (v' + \gamma v) v = v(T)^2/2 + \gamma \|v\|^2$ is coercive, so
   * the discrete problem is stable for every mesh.
   *
   * Parameters in `subsection Model/Langevin`.
   */
  template <int dim>
  class LangevinModel : public PointwiseModel<dim, LangevinModel<dim>>
  {
  public:
    static void
    declare_parameters(ParameterHandler &prm);

    explicit LangevinModel(ParameterHandler &prm);

    std::string
    name() const override;
    std::vector<std::string>
    component_names() const override;
    std::unique_ptr<FiniteElement<dim>>
    make_finite_element() const override;
    std::string
    coefficient_name() const override;
    bool
    is_linear() const override;
    bool
    is_symmetric() const override;
    bool
    is_transient() const override;
    std::vector<DirichletBoundary<dim>>
    dirichlet_boundaries() const override;

    template <typename Number>
    void
    point_residual(const PointState<dim, Number> &state,
                   PointResidual<dim, Number> &   result) const
    {
      result.value[0] = state.gradient[0][0] + relaxation_rate * state.value[0] -
                        state.coefficient -
                        forcing->evaluate(state.point, 0.);
    }

  private:
    unsigned int                     degree;
    double                           relaxation_rate;
    std::shared_ptr<Expression<dim>> forcing;
    std::shared_ptr<Expression<dim>> initial_value;
  };
} // namespace mollifem

#endif
