// Adaptive inversion (Inverse problem/Stage 2/Adaptive cycles) through the
// driver on card B2 (steady heat, three sources, 1% noise on a 41 x 41
// grid): stage 2 on 8 x 8 cells, then two cycles that refine 30% of the
// cells by the Kelly indicators of the recovered k and its states and
// optimize again from the transferred iterate, with a fixed H1 weight.
// Checks: the mesh grows in every cycle; every cycle starts where the last
// one ended (the correlation of its iteration 0 within 0.01 of the last
// cycle's final one: the iterate was carried over, not restarted); the
// misfit falls in every cycle (8 x 8 cells leave a model error above the
// noise, which refinement removes); the recovered k improves (relative L2
// error of the last cycle below that of the first: 0.064 -> 0.051). A hybrid
// field (its FE part transferred, its network kept) starts its cycle where
// it ended too, and its misfit falls. With grid sequencing (one level on 4 x
// 4 cells before the given mesh) the cycles follow on the given mesh, with
// the same properties. Same on 1 and 2 ranks.

#include <deal.II/base/exceptions.h>

#include <fstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

void
check(const std::string &representation,
      const unsigned int cycles,
      const unsigned int sequencing_levels = 0)
{
  const std::string directory = "results-adaptive-" + representation +
                                (sequencing_levels > 0 ? "-sequenced" : "");
  const std::string prm =
    testing::heat_b2_prm(representation) +
    "subsection Mesh\n  set Initial global refinement = 3\nend\n"
    "subsection Observations\n  set Additional refinement = 3\nend\n"
    "subsection Inverse problem\n"
    "  subsection Stage 2\n"
    "    set Run = true\n    set Initial guess = 1\n"
    "    set Regularization = H1\n    set Regularization weight = 0.01\n"
    "    set Gradient tolerance = 1e-6\n    set Maximum iterations = 60\n"
    "    set Adaptive cycles = " +
    std::to_string(cycles) +
    "\n    set Grid sequencing levels = " + std::to_string(sequencing_levels) +
    "\n  end\nend\n";
  const auto summary = testing::run_prm(prm, directory);

  testing::log() << representation << ", " << cycles << " cycles";
  if (sequencing_levels > 0)
    testing::log() << ", after grid sequencing from "
                   << testing::get(summary,
                                   "stage 2 levels/" +
                                     std::to_string(sequencing_levels) +
                                     "/state unknowns")
                   << " state unknowns";
  testing::log() << ":" << std::endl;
  bool   grows = true, continues = true, explains = true;
  double last_final = 0.;
  for (unsigned int c = 0; c <= cycles; ++c)
    {
      const std::string section = "stage 2 cycles/" + std::to_string(c);
      if (c > 0)
        explains = explains &&
                   testing::get(summary, section + "/misfit") <
                     testing::get(summary,
                                  "stage 2 cycles/" + std::to_string(c - 1) +
                                    "/misfit");
      if (c > 0)
        grows = grows &&
                testing::get(summary, section + "/active cells") >
                  testing::get(summary,
                               "stage 2 cycles/" + std::to_string(c - 1) +
                                 "/active cells");
      const auto [first, last] = testing::first_and_last_correlation(
        directory + "/stage_2_history" +
        (c == 0 ? std::string() : "_cycle_" + std::to_string(c)) + ".csv");
      if (c > 0)
        continues = continues && std::abs(first - last_final) < 0.01;
      last_final = last;
      testing::log() << "  cycle " << c << ": "
                     << testing::get(summary, section + "/active cells")
                     << " cells, correlation "
                     << testing::format(
                          testing::get(summary, section + "/correlation"), 2)
                     << std::endl;
    }
  const double error_first =
    testing::get(summary, "stage 2 cycles/0/relative L2 error");
  const double error_last = testing::get(
    summary, "stage 2 cycles/" + std::to_string(cycles) + "/relative L2 error");
  testing::log() << "  the mesh grows in every cycle: " << testing::yes_no(grows)
                 << "\n  every cycle starts from the last one's iterate: "
                 << testing::yes_no(continues)
                 << "\n  the misfit falls in every cycle: "
                 << testing::yes_no(explains);
  if (representation == "FE field")
    testing::log() << "\n  the last cycle's error below the first's: "
                   << testing::yes_no(error_last < error_first);
  testing::log() << std::endl;
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check("FE field", 2);
  check("hybrid", 1);
  check("FE field", 2, 1);
  return 0;
}
