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
    }
    prm.leave_subsection();
    AssertThrow(!directory.empty(),
                ExcParameter("Output/Directory", "the directory is empty."));
  }
} // namespace mollifem
