#include <deal.II/base/utilities.h>

#include <deal.II/fe/fe_q.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/models/heat.h>

namespace mollifem
{
  template <int dim>
  void
  HeatModel<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Heat");
    {
      prm.declare_entry("Finite element degree",
                        "1",
                        Patterns::Integer(1, 4),
                        "Polynomial degree p of the FE_Q elements of the "
                        "temperature u.");
      prm.declare_entry("Problem",
                        "steady",
                        Patterns::Selection("steady|transient"),
                        "'steady': -div(k grad u) = f. 'transient': "
                        "du/dt - div(k grad u) = f from the initial condition, "
                        "with the time stepping of subsection 'Time'.");
      prm.declare_entry("Source",
                        "1",
                        Patterns::Anything(),
                        "Heat source f(x,t) [units of u per unit time], an "
                        "expression in x[,y[,z]] and t.");
      prm.declare_entry("Initial condition",
                        "0",
                        Patterns::Anything(),
                        "Initial temperature u0(x) of the transient problem.");
      prm.declare_entry("Dirichlet boundary ids",
                        "0",
                        Patterns::List(Patterns::Integer(0, 255)),
                        "Boundary ids where u = g_D (comma-separated; empty "
                        "for none). All other boundaries carry the Neumann "
                        "flux. hyper_cube with colorize=false has id 0 "
                        "everywhere; with colorize=true the faces x=0, x=1, "
                        "y=0, y=1, ... have ids 0, 1, 2, 3, ...");
      prm.declare_entry("Dirichlet value",
                        "0",
                        Patterns::Anything(),
                        "Boundary temperature g_D(x,t).");
      prm.declare_entry("Neumann flux",
                        "0",
                        Patterns::Anything(),
                        "Heat flux into the domain g_N(x,t) = k grad u . n on "
                        "the boundaries that are not Dirichlet.");
    }
    prm.leave_subsection();
    prm.leave_subsection();
  }



  template <int dim>
  HeatModel<dim>::HeatModel(ParameterHandler &prm)
  {
    const std::vector<std::string> section = {"Model", "Heat"};
    prm.enter_subsection("Model");
    prm.enter_subsection("Heat");
    {
      degree    = prm.get_integer("Finite element degree");
      transient = (prm.get("Problem") == "transient");
      for (const std::string &id :
           Utilities::split_string_list(prm.get("Dirichlet boundary ids")))
        dirichlet_ids.insert(Utilities::string_to_int(id));
      const auto expression = [&](const std::string &name) {
        return std::make_shared<Expression<dim>>(
          prm.get(name), Parameters::path(section, name));
      };
      source          = expression("Source");
      initial_value   = expression("Initial condition");
      dirichlet_value = expression("Dirichlet value");
      neumann_flux    = expression("Neumann flux");
    }
    prm.leave_subsection();
    prm.leave_subsection();
  }



  template <int dim>
  std::string
  HeatModel<dim>::name() const
  {
    return "heat";
  }



  template <int dim>
  std::vector<std::string>
  HeatModel<dim>::component_names() const
  {
    return {"u"};
  }



  template <int dim>
  std::unique_ptr<FiniteElement<dim>>
  HeatModel<dim>::make_finite_element() const
  {
    return std::make_unique<FE_Q<dim>>(degree);
  }



  template <int dim>
  std::string
  HeatModel<dim>::coefficient_name() const
  {
    return "k";
  }



  template <int dim>
  bool
  HeatModel<dim>::is_linear() const
  {
    return true;
  }



  template <int dim>
  bool
  HeatModel<dim>::is_symmetric() const
  {
    return true;
  }



  template <int dim>
  bool
  HeatModel<dim>::is_transient() const
  {
    return transient;
  }



  template <int dim>
  std::vector<DirichletBoundary<dim>>
  HeatModel<dim>::dirichlet_boundaries() const
  {
    std::vector<DirichletBoundary<dim>> boundaries;
    for (const auto id : dirichlet_ids)
      boundaries.push_back({id, dirichlet_value, ComponentMask()});
    return boundaries;
  }



  template <int dim>
  std::shared_ptr<Function<dim>>
  HeatModel<dim>::initial_condition() const
  {
    return initial_value;
  }



  template <int dim>
  bool
  HeatModel<dim>::has_boundary_residual(const types::boundary_id id) const
  {
    return dirichlet_ids.count(id) == 0;
  }



  template class HeatModel<1>;
  template class HeatModel<2>;
  template class HeatModel<3>;

  MOLLIFEM_REGISTER_MODEL(HeatModel,
                          "heat",
                          "heat conduction -div(k grad u) = f, steady or "
                          "transient, with conductivity k(x) (card B2).");
} // namespace mollifem
