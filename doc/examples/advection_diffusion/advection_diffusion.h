// The model of the example: steady advection-diffusion with an unknown
// diffusivity kappa(x),
//   -div(kappa grad u) + beta . grad u = f,  u = 0 on the boundary
// (boundary ids 0 to 2 dim - 1, as GridGenerator::hyper_cube(..., true)
// gives them). Its weak form is all it writes: mollifem derives Newton's
// method, adjoints and Hessians from it by automatic differentiation.
#pragma once

#include <deal.II/fe/fe_q.h>

#include <mollifem/models/model.h>

template <int dim>
class AdvectionDiffusion
  : public mollifem::PointwiseModel<dim, AdvectionDiffusion<dim>>
{
public:
  AdvectionDiffusion(const dealii::Tensor<1, dim> &beta, const double f)
    : beta(beta), f(f)
  {}

  std::string name() const override { return "advection-diffusion"; }
  std::vector<std::string> component_names() const override { return {"u"}; }
  std::unique_ptr<dealii::FiniteElement<dim>> make_finite_element() const override
  {
    return std::make_unique<dealii::FE_Q<dim>>(1);
  }
  std::string coefficient_name() const override { return "kappa"; }
  bool is_linear() const override { return true; }
  bool is_symmetric() const override { return false; }
  bool is_transient() const override { return false; }
  std::vector<mollifem::DirichletBoundary<dim>>
  dirichlet_boundaries() const override
  {
    std::vector<mollifem::DirichletBoundary<dim>> boundaries;
    for (dealii::types::boundary_id id = 0; id < 2 * dim; ++id)
      boundaries.push_back(
        {id, std::make_shared<dealii::Functions::ZeroFunction<dim>>(), {}});
    return boundaries;
  }

  // The weak form: int (beta . grad u - f) v + kappa grad u . grad v.
  template <typename Number>
  void point_residual(const mollifem::PointState<dim, Number> &s,
                      mollifem::PointResidual<dim, Number> &   r) const
  {
    r.value[0] = beta * s.gradient[0] - f;
    r.flux[0]  = s.coefficient * s.gradient[0];
  }

  // For stage 1, the strong form, linear in kappa, from the mollified u,
  // grad u and lap u: -kappa lap u - grad kappa . grad u = f - beta . grad u.
  std::vector<mollifem::DifferentialOperator<dim>>
  equation_error_operators() const override
  {
    auto operators = mollifem::DifferentialOperator<dim>::gradient();
    operators.insert(operators.begin(), mollifem::DifferentialOperator<dim>::identity());
    operators.push_back(mollifem::DifferentialOperator<dim>::laplacian());
    return operators;
  }
  void equation_error(const dealii::Point<dim> &, const double,
                      const std::vector<double> &d, const double, double &a,
                      dealii::Tensor<1, dim> &b, double &g) const override
  {
    a = -d[dim + 1];
    g = f;
    for (unsigned int i = 0; i < dim; ++i)
      b[i] = -d[1 + i], g -= beta[i] * d[1 + i];
  }

private:
  dealii::Tensor<1, dim> beta;
  double                 f = 1.;
};
