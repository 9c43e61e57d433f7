// Checkpoints and --resume with grid sequencing (Inverse problem/Stage 2/
// Grid sequencing levels = 1): card B2 (steady heat, three sources, 1%
// noise) on 16 x 16 cells from one coarser level, the weight by the
// discrepancy principle, the statistical tolerance 0.5, a checkpoint every
// iteration. On the coarser level the search keeps a weight (the misfit's
// floor); on the given mesh the optimization at that weight ends outside
// the discrepancy window, the weight is searched again, and the final
// optimization stops by the statistical tolerance. An uninterrupted run is
// compared with runs stopped right after checkpoint k (Stop after
// checkpoints = k) and continued with 'mollifem FILE.prm --resume', with k
// in each phase (counted from the uninterrupted run's histories and screen,
// so that the test does not depend on the iteration counts, which differ
// slightly between 1 and 2 ranks here):
//  - Newton-CG: at iteration 2 of the coarser level's final optimization,
//    or at its last if it takes one step from the chosen trial's iterate
//    (what it passes on to the given mesh comes from the checkpoint), at
//    iteration 2 of the given mesh's optimization at the coarser level's
//    weight (before the discrepancy check), and at the final
//    optimization's last iteration, where the statistical tolerance stops
//    it (the resumed run takes no step);
//  - MG/OPT (Multilevel cycles = 3): at cycle 2 at the coarser level's
//    weight, and at the final optimization's last cycle. The resumed run
//    builds its coarser model at the weight searched on the given mesh, as
//    the uninterrupted run now does too (before, its coarser model kept
//    the weight it was made with).
// Every resumed run ends equal to the uninterrupted one: the histories of
// both levels identical byte for byte, the final scores, misfit, weight
// and iterations to 12 digits, and the coarser level's summary entries
// carried over; the checkpoint is gone at the end. Same on 1 and 2 ranks.

#include <deal.II/base/exceptions.h>

#include <algorithm>
#include <filesystem>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

std::string
prm(const unsigned int multilevel_cycles, const unsigned int stop_after)
{
  return testing::heat_b2_prm("FE field") +
         "subsection Inverse problem\n  subsection Stage 2\n"
         "    set Run = true\n    set Initial guess = 1\n"
         "    set Regularization = H1\n    set Regularization weight = 0.1\n"
         "    set Discrepancy principle = true\n"
         "    set Grid sequencing levels = 1\n"
         "    set Statistical tolerance = 0.5\n"
         "    set Multilevel cycles = " +
         std::to_string(multilevel_cycles) +
         "\n    set Checkpoint interval = 1\n"
         "    set Stop after checkpoints = " +
         std::to_string(stop_after) + "\n  end\nend\n";
}



/// The number of rows after the header and iteration 0 of a history.
unsigned int
n_steps(const std::string &file)
{
  return testing::history_column(file, 0).size() - 1;
}



void
check(const unsigned int multilevel_cycles, const bool stop_on_coarser_level)
{
  testing::log() << (multilevel_cycles == 0 ? "Newton-CG" : "MG/OPT") << ":"
                 << std::endl;
  std::string screen;
  AssertThrow(testing::run_prm(prm(multilevel_cycles, 0), "results-full", false, screen) == 0,
              ExcMessage("the uninterrupted run failed:\n" + screen));
  boost::property_tree::ptree full;
  boost::property_tree::read_json("results-full/summary.json", full);
  // The checkpoints the uninterrupted run wrote: one per iteration of the
  // coarser level's final optimization, of the given mesh's optimization
  // at that weight, and of its final optimization.
  const unsigned int coarser = n_steps("results-full/stage_2_history_level_1.csv");
  const std::string  check_line = testing::line_containing(screen, "N J decreased by");
  const std::size_t  after      = check_line.find(" after ");
  const unsigned int at_coarser_weight =
    after == std::string::npos ? 0 : std::stoul(check_line.substr(after + 7));
  const unsigned int final_steps = n_steps("results-full/stage_2_history.csv");
  MPI_Barrier(MPI_COMM_WORLD);
  testing::log() << "  uninterrupted: the weight searched again on the given "
                    "mesh: "
                 << testing::yes_no(screen.find("the weight is searched again") !=
                                    std::string::npos)
                 << ", the checkpoints the stops below need: "
                 << testing::yes_no(coarser >= 1 && at_coarser_weight >= 2 &&
                                    final_steps >= 1)
                 << ", correlation above 0.85: "
                 << testing::yes_no(testing::get(full, "stage 2/correlation") > 0.85)
                 << std::endl;

  struct Stop
  {
    std::string  phase;
    unsigned int k;
    std::string  resumed_at;
  };
  std::vector<Stop> stops;
  // (The coarser level's final optimization takes one or two steps from
  // the chosen trial's iterate: its last checkpoint.)
  const unsigned int on_coarser = std::min(2u, coarser);
  if (stop_on_coarser_level)
    stops.push_back({"the coarser level's final optimization",
                     on_coarser,
                     "at iteration " + std::to_string(on_coarser) +
                       " on grid sequencing level 1"});
  stops.push_back({"the given mesh's optimization at the coarser level's weight",
                   coarser + 2,
                   "at iteration 2 of the optimization at the last level's "
                   "weight (before the discrepancy check) on the given mesh"});
  stops.push_back({"the last iteration of the final optimization",
                   coarser + at_coarser_weight + final_steps,
                   "at iteration " + std::to_string(final_steps) +
                     " on the given mesh"});
  for (const Stop &stop : stops)
    {
      const int code = testing::run_prm(
        prm(multilevel_cycles, stop.k), "results-part", false, screen);
      const bool stopped =
        code == 0 && screen.find("Stopped after checkpoint " + std::to_string(stop.k)) !=
                       std::string::npos;
      // Only 'Stop after checkpoints' may differ.
      const auto resumed = testing::run_prm(prm(multilevel_cycles, 0),
                                            "results-part",
                                            screen,
                                            {"--resume"});

      const bool same_history =
        testing::same_files("results-full",
                            "results-part",
                            {"stage_2_history_level_1.csv", "stage_2_history.csv"});
      const bool same_scores = testing::same_entries(
        full,
        resumed,
        {"stage 2/correlation",
         "stage 2/relative L2 error",
         "stage 2/misfit",
         "stage 2/regularization weight",
         "stage 2/iterations",
         "stage 2/decrease of N J",
         "stage 2/discrepancy target",
         "stage 2 levels/1/correlation",
         "stage 2 levels/1/misfit",
         "stage 2 levels/1/iterations"});
      testing::log() << "  stopped in " << stop.phase << ": "
                     << testing::yes_no(stopped) << ", resumed there: "
                     << testing::yes_no(
                          screen.find("Resuming stage 2 from the checkpoint " +
                                      stop.resumed_at + "\n") != std::string::npos)
                     << "\n    histories of both levels identical: "
                     << testing::yes_no(same_history)
                     << ", final scores, weight, iterations and the coarser "
                        "level's entries identical: "
                     << testing::yes_no(same_scores) << ", checkpoint removed: "
                     << testing::yes_no(
                          !std::filesystem::exists("results-part/checkpoint.txt"))
                     << std::endl;
    }
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check(0, true);
  check(3, false);
  return 0;
}
