// Mesh/Adaptive refinement steps: the inversion mesh refined where the
// mollified data change fast resolves them as well as the uniform mesh of
// the same finest cells, with far fewer unknowns. Steady chromatin whose
// nucleoplasm map has a sharp circular edge (width 0.02): phi_d has an
// interface there. Three meshes see the same data: 16 x 16 cells, 16 x 16 cells
// refined twice at the data's interface, and 64 x 64 cells. Without noise,
// the relative misfit of the forward solve with the true lambda is the
// discretization error at the data points; stage 1 and stage 2 are off.
// The data are made once, on the 256 x 256 mesh, and read from their file
// by the other runs.

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

struct Result
{
  double unknowns;
  double misfit;
};

Result
run(const unsigned int global, const unsigned int adaptive, const std::string &data)
{
  std::ostringstream prm;
  prm << "subsection Mesh\n"
      << "  set Initial global refinement = " << global << "\n"
      << "  set Adaptive refinement steps = " << adaptive << "\n"
      << "  set Adaptive refinement fraction = 0.5\n"
      << "  set Adaptive refinement radius = 0.02\n"
      << "end\n"
      << "subsection Model\n  set Model = chromatin\n"
      << "  subsection Chromatin\n    set Problem = steady\n"
      << "    set Double-well strength = 1\n"
      << "    set Interface length = 0.01\n"
      << "    set Nucleoplasm fraction = 0.1 + 0.2*(1 + "
         "tanh((0.3 - sqrt((x-0.5)^2 + (y-0.5)^2))/0.02))/2\n"
      << "  end\nend\n"
      << "subsection Coefficient\n  set Ground truth = 0.5 + 0.2*x\nend\n"
      << "subsection Observations\n";
  if (data.empty())
    prm << "  set Grid points = 101\n  set Noise level = 0\n"
        << "  set Additional refinement = " << 8 - global << "\n";
  else
    prm << "  set Source = file\n  set File = " << data << "\n"
        << "  set Write files = false\n";
  prm << "end\n"
      << "subsection Solver\n  set Linear solver = direct\nend\n";
  const std::string directory = "results-adaptive-mesh";
  const auto        summary   = testing::run_prm(prm.str(), directory);
  // Keep the data for the next runs.
  if (data.empty() && Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::filesystem::copy_file(directory + "/observations.csv",
                               "interface_data.csv",
                               std::filesystem::copy_options::overwrite_existing);
  MPI_Barrier(MPI_COMM_WORLD);
  return {testing::get(summary, "mesh/state unknowns"),
          testing::get(summary, "forward/relative misfit")};
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const Result fine     = run(6, 0, "");
  const Result adaptive = run(4, 2, "interface_data.csv");
  const Result coarse   = run(4, 0, "interface_data.csv");

  testing::log() << "relative misfit of the true lambda (noise-free data):\n"
                 << "  16 x 16 cells:             "
                 << testing::format(coarse.misfit, 2) << '\n'
                 << "  adapted twice to the data: "
                 << testing::format(adaptive.misfit, 2) << '\n'
                 << "  64 x 64 cells:             "
                 << testing::format(fine.misfit, 2) << std::endl;
  testing::log() << "the adapted mesh resolves the data as well as 64 x 64 "
                    "cells (within 10%): "
                 << testing::yes_no(adaptive.misfit <= 1.1 * fine.misfit)
                 << std::endl;
  testing::log() << "and far better than 16 x 16 cells (a tenth of the "
                    "misfit): "
                 << testing::yes_no(adaptive.misfit <= 0.1 * coarse.misfit)
                 << std::endl;
  testing::log() << "with less than half of the unknowns of 64 x 64 cells: "
                 << testing::yes_no(adaptive.unknowns < 0.5 * fine.unknowns)
                 << std::endl;
  return 0;
}
