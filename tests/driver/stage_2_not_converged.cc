// An optimizer stopped by its iteration limit reports that it did not
// converge, and still writes its last iterate (stage_2.pvd lists the
// records of iterations 0 and 2), the history (one CSV line per iteration)
// and the summary (converged: false); the driver exits with 0.

#include <deal.II/base/mpi.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

unsigned int
count_lines(const std::string &file, const std::string &containing)
{
  std::ifstream in(file);
  std::string   line;
  unsigned int  n = 0;
  while (std::getline(in, line))
    if (line.find(containing) != std::string::npos)
      ++n;
  return n;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string directory = "results-not-converged";
  std::string       screen;
  const int         code = testing::run_prm(
    "subsection Mesh\n  set Initial global refinement = 3\nend\n"
    "subsection Coefficient\n"
    "  set Ground truth = 1 + 0.5*exp(-((x-0.3)^2 + (y-0.6)^2)/0.02)\nend\n"
    "subsection Observations\n  set Grid points = 21\n"
    "  set Noise level = 0.01\n  set Write files = false\nend\n"
    "subsection Inverse problem\n  subsection Stage 2\n    set Run = true\n"
    "    set Maximum iterations = 2\n    set Output interval = 5\n"
    "    set Regularization weight = 0.1\n  end\nend\n",
    directory,
    /*write_vtu=*/true,
    screen);

  testing::log() << "exit code " << code << std::endl;
  testing::log() << "reported: "
                 << testing::yes_no(screen.find(
                                      "NOT converged: iteration limit reached") !=
                                    std::string::npos)
                 << std::endl;
  const std::string history = directory + "/stage_2_history.csv";
  testing::log() << "history lines (header + iterations 0..2): "
                 << count_lines(history, ",") << std::endl;
  testing::log() << "records in stage_2.pvd (iterations 0 and 2): "
                 << count_lines(directory + "/stage_2.pvd", "<DataSet")
                 << std::endl;
  testing::log() << "summary says not converged: "
                 << testing::yes_no(count_lines(directory + "/summary.json",
                                                "\"converged\": false") == 1)
                 << std::endl;
  return 0;
}
