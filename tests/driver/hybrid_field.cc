// Stage 2 with a hybrid coefficient (Coefficient/Representation = hybrid,
// q = exp(m_h + y_theta)) through the driver, against the FE field alone
// with the same settings: card B2 (steady heat, three sources, 1% noise on
// a 41 x 41 grid, data from the mesh refined once more) on 16 x 16 cells,
// both from stage 1's estimate (which sets the hybrid's FE part; the
// network starts near zero), H1 with weight 0.01 (the hybrid's network with
// weight decay 0.01). The hybrid reaches the FE field's accuracy (its
// correlation at least the FE field's minus 0.005, both above 0.95) with
// 289 + 151 parameters. Same checks on 1 and 2 ranks.

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

boost::property_tree::ptree
run(const std::string &representation)
{
  const std::string prm =
    testing::heat_b2_prm(representation) +
    "subsection Mollifier\n  set Kernel = polynomial\n  set Radius = 0.2\nend\n"
    "subsection Inverse problem\n  set Stage 1 = true\n"
    "  subsection Stage 2\n"
    "    set Run = true\n    set Initial guess = stage 1\n"
    "    set Regularization = H1\n    set Regularization weight = 0.01\n"
    "    set Gradient tolerance = 1e-6\n    set Maximum iterations = 60\n"
    "  end\nend\n";
  return testing::run_prm(prm, "results-hybrid");
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const auto   fe     = run("FE field");
  const auto   hybrid = run("hybrid");
  const double c_fe   = testing::get(fe, "stage 2/correlation");
  const double c_hy   = testing::get(hybrid, "stage 2/correlation");
  testing::log() << "FE field " << testing::get(fe, "stage 2/unknowns")
                 << " parameters, hybrid "
                 << testing::get(hybrid, "stage 2/unknowns")
                 << "\n  both above 0.95: "
                 << testing::yes_no(c_fe > 0.95 && c_hy > 0.95)
                 << "\n  hybrid at least the FE field's correlation - 0.005: "
                 << testing::yes_no(c_hy >= c_fe - 0.005) << std::endl;
  return 0;
}
