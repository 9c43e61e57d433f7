#include <deal.II/base/utilities.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/output/output_parameters.h>

namespace mollifem
{
  void
  OutputParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Output");
    {
      prm.declare_entry("Directory",
                        "results",
                        Patterns::Anything(),
                        "Directory for all output files, created if needed "
                        "(relative to the working directory).");
      prm.declare_entry("Write VTU",
                        "true",
                        Patterns::Bool(),
                        "Write fields for ParaView (.pvd series of .vtu "
                        "files).");
      prm.declare_entry("VTU interval",
                        "1",
                        Patterns::Integer(1),
                        "Transient models: write every n-th time step (the "
                        "last step is always written).");
      prm.declare_entry("Print timings",
                        "true",
                        Patterns::Bool(),
                        "Print wall times, memory and the number of MPI "
                        "ranks on screen. Tests set this to false so that "
                        "their output compares across machines and rank "
                        "counts; summary.json has these figures anyway.");
      prm.declare_entry("Coefficient grid points",
                        "0",
                        Patterns::Integer(0, 2001),
                        "In 1D and 2D: write the final recovered coefficient "
                        "and the truth at the points of a uniform grid with "
                        "this many points per direction over the mesh's "
                        "bounding box to coefficient_grid.dat (columns x [y] "
                        "q q_true, NaN outside the mesh or without a known "
                        "truth), for plots; subsection Study sets it. 0: not "
                        "written.");
    }
    prm.leave_subsection();
  }



  void
  OutputParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Output");
    {
      directory     = Utilities::trim(prm.get("Directory"));
      write_vtu     = prm.get_bool("Write VTU");
      vtu_interval  = prm.get_integer("VTU interval");
      print_timings = prm.get_bool("Print timings");
      coefficient_grid_points = prm.get_integer("Coefficient grid points");
    }
    prm.leave_subsection();
    AssertThrow(coefficient_grid_points != 1,
                ExcParameter("Output/Coefficient grid points",
                             "a grid needs at least 2 points per direction "
                             "(or 0 for none)."));
    AssertThrow(!directory.empty(),
                ExcParameter("Output/Directory", "the directory is empty."));
  }
} // namespace mollifem
