#include <deal.II/base/utilities.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>
#include <mollifem/mollifier/differential_operator.h>
#include <mollifem/mollifier/kernel.h>
#include <mollifem/mollifier/mollifier_parameters.h>

namespace mollifem
{
  void
  MollifierParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Mollifier");
    {
      prm.declare_entry("Kernel",
                        "bump",
                        Patterns::Selection(KernelRegistry::names()),
                        "The mollifier eta, radial, compactly supported on "
                        "the ball of radius delta, unit mass:" +
                          KernelRegistry::descriptions());
      prm.declare_entry("Bandwidth",
                        "fixed",
                        Patterns::Selection("fixed|cell size"),
                        "How the kernel radius delta is set. 'fixed': "
                        "'Radius' everywhere. 'cell size': delta(x) = "
                        "'Radius in cells' times the size h of the cell "
                        "around x (on adaptive meshes the kernel follows the "
                        "mesh).");
      prm.declare_entry("Radius",
                        "0.1",
                        Patterns::List(Patterns::Double(0.), 1, 3),
                        "Kernel radius delta [length] for Bandwidth = "
                        "fixed: one value, or one per axis (a diagonal, "
                        "anisotropic bandwidth, e.g. '0.1, 0.05').");
      prm.declare_entry("Radius in cells",
                        "4",
                        Patterns::Double(0.),
                        "c in delta(x) = c h(x) for Bandwidth = cell size "
                        "[-]; h is the cell diameter over sqrt(dim).");
      prm.declare_entry("Boundary treatment",
                        "moment corrected",
                        Patterns::Selection("moment corrected|plain"),
                        "'moment corrected': near the boundary (and, to "
                        "round-off, everywhere) the derivative kernel is "
                        "corrected by local moment conditions so that every "
                        "derivative of every polynomial up to 'Reproduction "
                        "degree' is exact. 'plain': the kernel truncated at "
                        "the boundary, biased where the ball leaves the "
                        "domain (for comparison).");
      prm.declare_entry("Reproduction degree",
                        "auto",
                        Patterns::Anything(),
                        "Total degree m of the polynomials that the "
                        "corrected kernel differentiates exactly, 0 to 8, or "
                        "'auto': for each derivative one more than its order "
                        "(then the interior kernel is the analytic "
                        "derivative kernel itself, up to quadrature error). Higher m lowers the bias "
                        "(error O(delta^(m+1-k)) for a derivative of order k) "
                        "and raises the noise amplification.");
      prm.declare_entry("Quadrature points per radius",
                        "8",
                        Patterns::Integer(2, 64),
                        "Minimal number of quadrature points per kernel "
                        "radius along each axis: cells larger than that "
                        "allows are integrated with a subdivided Gauss "
                        "rule.");
      prm.declare_entry("Derivatives",
                        "",
                        Patterns::Anything(),
                        "What the driver computes from the observed data, "
                        "at the nodes of the state's finite element space, "
                        "per snapshot (written to mollified.pvd): a "
                        "comma-separated list of value, d/dx, d/dy, d/dz, "
                        "d2/dxdy (any axes, order up to 4), laplacian, "
                        "bilaplacian; empty: nothing.");
    }
    prm.leave_subsection();
  }



  void
  MollifierParameters::parse_parameters(ParameterHandler &prm,
                                        const unsigned int dim)
  {
    prm.enter_subsection("Mollifier");
    {
      kernel           = prm.get("Kernel");
      bandwidth        = prm.get("Bandwidth") == "fixed" ?
                           Bandwidth::fixed :
                           Bandwidth::cell_size;
      radius           = Parameters::parse_numbers(prm.get("Radius"),
                                         "Mollifier/Radius");
      radius_in_cells  = prm.get_double("Radius in cells");
      moment_corrected = prm.get("Boundary treatment") == "moment corrected";
      quadrature_points_per_radius =
        prm.get_integer("Quadrature points per radius");

      derivatives.clear();
      for (const std::string &name :
           Utilities::split_string_list(prm.get("Derivatives"), ','))
        if (!Utilities::trim(name).empty())
          derivatives.push_back(Utilities::trim(name));

      const std::string degree = Utilities::trim(prm.get("Reproduction degree"));
      if (degree == "auto")
        reproduction_degree = -1;
      else
        {
          bool valid = !degree.empty() &&
                       degree.find_first_not_of("0123456789") ==
                         std::string::npos &&
                       degree.size() <= 2;
          if (valid)
            reproduction_degree = Utilities::string_to_int(degree);
          AssertThrow(valid && reproduction_degree <= 8,
                      ExcParameter("Mollifier/Reproduction degree",
                                   "'" + degree +
                                     "' is neither 'auto' nor an integer "
                                     "from 0 to 8."));
        }
    }
    prm.leave_subsection();

    AssertThrow(radius.size() == 1 || radius.size() == dim,
                ExcParameter("Mollifier/Radius",
                             "give one radius or one per axis (" +
                               std::to_string(dim) + " here), not " +
                               std::to_string(radius.size()) + "."));
    for (const double r : radius)
      AssertThrow(r > 0.,
                  ExcParameter("Mollifier/Radius",
                               "the radius must be positive."));
    AssertThrow(radius_in_cells > 0.,
                ExcParameter("Mollifier/Radius in cells",
                             "the factor must be positive."));
    for (const std::string &name : derivatives)
      try
        {
          if (dim == 1)
            DifferentialOperator<1>::parse(name);
          else if (dim == 2)
            DifferentialOperator<2>::parse(name);
          else
            DifferentialOperator<3>::parse(name);
        }
      catch (const ExceptionBase &e)
        {
          AssertThrow(false,
                      ExcParameter("Mollifier/Derivatives", user_message(e)));
        }
  }



  template <int dim>
  Point<dim>
  MollifierParameters::fixed_radii() const
  {
    Point<dim> h;
    for (unsigned int i = 0; i < dim; ++i)
      h[i] = radius.size() == 1 ? radius[0] : radius[i];
    return h;
  }



  unsigned int
  MollifierParameters::degree_for(const unsigned int order) const
  {
    return reproduction_degree < 0 ? order + 1 :
                                     static_cast<unsigned int>(
                                       reproduction_degree);
  }



  template Point<1>
  MollifierParameters::fixed_radii<1>() const;
  template Point<2>
  MollifierParameters::fixed_radii<2>() const;
  template Point<3>
  MollifierParameters::fixed_radii<3>() const;
} // namespace mollifem
