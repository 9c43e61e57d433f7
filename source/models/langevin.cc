#include <deal.II/fe/fe_q.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/models/langevin.h>

namespace mollifem
{
  template <int dim>
  void
  LangevinModel<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Langevin");
    {
      prm.declare_entry("Finite element degree",
                        "1",
                        Patterns::Integer(1, 4),
                        "Polynomial degree p of the continuous FE_Q elements "
                        "of u(t) on the mesh of the time interval.");
      prm.declare_entry("Relaxation rate",
                        "1",
                        Patterns::Double(0.),
                        "gamma >= 0 in du/dt = -gamma u + lambda(t) + f(t).");
      prm.declare_entry("Forcing",
                        "0",
                        Patterns::Anything(),
                        "A known forcing f(t) added to the unknown lambda(t), "
                        "an expression in x (the time: the mesh is the time "
                        "interval).");
      prm.declare_entry("Initial value",
                        "0",
                        Patterns::Anything(),
                        "u(t0), imposed on boundary id 0 of the mesh (the "
                        "initial time of a colorized interval).");
    }
    prm.leave_subsection();
    prm.leave_subsection();
  }



  template <int dim>
  LangevinModel<dim>::LangevinModel(ParameterHandler &prm)
  {
    AssertThrow(dim == 1,
                ExcParameter("Dimension",
                             "the Langevin model lives on a mesh of the time "
                             "interval: set Dimension = 1."));
    const std::vector<std::string> section = {"Model", "Langevin"};
    prm.enter_subsection("Model");
    prm.enter_subsection("Langevin");
    {
      degree          = prm.get_integer("Finite element degree");
      relaxation_rate = prm.get_double("Relaxation rate");
      forcing         = std::make_shared<Expression<dim>>(
        prm.get("Forcing"), Parameters::path(section, "Forcing"));
      initial_value = std::make_shared<Expression<dim>>(
        prm.get("Initial value"), Parameters::path(section, "Initial value"));
    }
    prm.leave_subsection();
    prm.leave_subsection();
  }



  template <int dim>
  std::string
  LangevinModel<dim>::name() const
  {
    return "langevin";
  }



  template <int dim>
  std::vector<std::string>
  LangevinModel<dim>::component_names() const
  {
    return {"u"};
  }



  template <int dim>
  std::unique_ptr<FiniteElement<dim>>
  LangevinModel<dim>::make_finite_element() const
  {
    return std::make_unique<FE_Q<dim>>(degree);
  }



  template <int dim>
  std::string
  LangevinModel<dim>::coefficient_name() const
  {
    return "lambda";
  }



  template <int dim>
  bool
  LangevinModel<dim>::is_linear() const
  {
    return true;
  }



  template <int dim>
  bool
  LangevinModel<dim>::is_symmetric() const
  {
    return false;
  }



  template <int dim>
  bool
  LangevinModel<dim>::is_transient() const
  {
    // The time is the coordinate of the mesh: one "steady" problem.
    return false;
  }



  template <int dim>
  std::vector<DirichletBoundary<dim>>
  LangevinModel<dim>::dirichlet_boundaries() const
  {
    return {{0, initial_value, ComponentMask()}};
  }



  template class LangevinModel<1>;
  template class LangevinModel<2>;
  template class LangevinModel<3>;

  MOLLIFEM_REGISTER_MODEL(LangevinModel,
                          "langevin",
                          "first-order Langevin equation du/dt = -gamma u + "
                          "lambda(t) + f(t) on a mesh of the time interval "
                          "(Dimension = 1), with the forcing lambda(t) as the "
                          "coefficient (card B1).");
} // namespace mollifem
