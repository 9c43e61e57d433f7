// The transfer of an FE field between two levels of grid sequencing
// (FieldTransfer, deal.II's MGTwoLevelTransfer with global coarsening), each
// level on its own triangulation and partition, both with hanging nodes (the
// fine mesh is a locally refined one; the coarse one has every cell
// coarsened once), for elements of degree 1 and 2, and through a chain of
// three levels (the coarsest with every cell coarsened twice, as for
// Multilevel coarse depth = 2):
// - prolongation reproduces a polynomial of the element's degree exactly
//   (the coarse interpolant, prolongated, is the fine interpolant);
// - interpolation (injection) of the fine interpolant is the coarse
//   interpolant;
// - restriction is the transpose of prolongation: <P x, g> = <x, R g> for
//   random x and g (g also at the fine mesh's hanging nodes);
// - a correction that is zero on the coarse mesh stays zero;
// - the chain's prolongation and restriction are those of its two steps one
//   after the other.

#include <deal.II/base/function.h>

#include <deal.II/grid/grid_generator.h>

#include <mollifem/inverse/multilevel_optimizer.h>
#include <mollifem/mesh/mesh.h>

#include <random>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

/// 1 + x - 2y (+ xy + y^2 for degree 2).
class Polynomial : public Function<2>
{
public:
  explicit Polynomial(const unsigned int degree)
    : degree(degree)
  {}

  double
  value(const Point<2> &p, const unsigned int = 0) const override
  {
    return 1. + p[0] - 2. * p[1] +
           (degree > 1 ? p[0] * p[1] + p[1] * p[1] : 0.);
  }

private:
  const unsigned int degree;
};



LA::Vector
random_vector(const FEFieldCoefficient<2> &field, const unsigned int seed)
{
  std::mt19937                           rng(seed);
  std::uniform_real_distribution<double> uniform(-1., 1.);
  LA::Vector                             v = field.make_parameter_vector();
  // The same numbers whatever the partition: drawn for every index.
  for (types::global_dof_index i = 0; i < v.size(); ++i)
    {
      const double r = uniform(rng);
      if (v.locally_owned_elements().is_element(i))
        v[i] = r;
    }
  v.compress(VectorOperation::insert);
  return v;
}



/// The properties of the header for @p transfer from @p fine to @p coarse.
void
check_transfer(const FieldTransfer<2> &     transfer,
               FEFieldCoefficient<2> &      fine,
               FEFieldCoefficient<2> &      coarse,
               const unsigned int           degree)
{
  const Polynomial polynomial(degree);
  fine.interpolate_function(polynomial);
  coarse.interpolate_function(polynomial);
  const LA::Vector fine_interpolant   = fine.parameters();
  const LA::Vector coarse_interpolant = coarse.parameters();

  LA::Vector prolongated = fine.make_parameter_vector();
  transfer.prolongate(coarse_interpolant, prolongated);
  prolongated -= fine_interpolant;
  testing::log() << "  prolongation of a polynomial of degree " << degree
                 << " exact: "
                 << testing::yes_no(prolongated.linfty_norm() < 1e-12)
                 << std::endl;

  LA::Vector injected = coarse.make_parameter_vector();
  transfer.interpolate(fine_interpolant, injected);
  injected -= coarse_interpolant;
  testing::log() << "  injection of its fine interpolant exact: "
                 << testing::yes_no(injected.linfty_norm() < 1e-12)
                 << std::endl;

  LA::Vector x = random_vector(coarse, 1);
  coarse.constraints().distribute(x);
  const LA::Vector g  = random_vector(fine, 2);
  LA::Vector       Px = fine.make_parameter_vector();
  LA::Vector       Rg = coarse.make_parameter_vector();
  transfer.prolongate(x, Px);
  transfer.restrict_dual(g, Rg);
  const double fine_product   = Px * g;
  const double coarse_product = x * Rg;
  testing::log() << "  restriction the transpose of prolongation "
                    "(<Px, g> = <x, Rg> to 1e-12): "
                 << testing::yes_no(std::abs(fine_product - coarse_product) <=
                                    1e-12 * std::abs(fine_product))
                 << std::endl;

  LA::Vector zero = coarse.make_parameter_vector();
  transfer.prolongate(zero, Px);
  testing::log() << "  a zero correction stays zero: "
                 << testing::yes_no(Px.linfty_norm() == 0.) << std::endl;
}



void
check(const unsigned int degree)
{
  auto fine_mesh = make_triangulation<2>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*fine_mesh);
  fine_mesh->refine_global(3);
  for (unsigned int step = 0; step < 2; ++step)
    {
      for (const auto &cell : fine_mesh->active_cell_iterators())
        if (cell->is_locally_owned() &&
            cell->center().distance(Point<2>(0.3, 0.6)) < 0.25)
          cell->set_refine_flag();
      fine_mesh->execute_coarsening_and_refinement();
    }
  auto coarse_mesh = make_triangulation<2>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*coarse_mesh);
  refine_to(*coarse_mesh, coarser_cells<2>(active_cell_names(*fine_mesh)));

  FEFieldCoefficient<2> fine(*fine_mesh, degree, false);
  FEFieldCoefficient<2> coarse(*coarse_mesh, degree, false);
  unsigned int          constrained[2] = {0, 0};
  for (const auto i : fine.dof_handler().locally_owned_dofs())
    constrained[0] += fine.constraints().is_constrained(i) ? 1 : 0;
  for (const auto i : coarse.dof_handler().locally_owned_dofs())
    constrained[1] += coarse.constraints().is_constrained(i) ? 1 : 0;
  testing::log() << "degree " << degree << ": fine level "
                 << fine_mesh->n_global_active_cells() << " cells, "
                 << fine.dof_handler().n_dofs() << " parameters ("
                 << Utilities::MPI::sum(constrained[0], MPI_COMM_WORLD)
                 << " constrained); coarse level "
                 << coarse_mesh->n_global_active_cells() << " cells, "
                 << coarse.dof_handler().n_dofs() << " parameters ("
                 << Utilities::MPI::sum(constrained[1], MPI_COMM_WORLD)
                 << " constrained)" << std::endl;

  const FieldTransfer<2> transfer(fine, coarse);
  check_transfer(transfer, fine, coarse, degree);

  auto coarsest_mesh = make_triangulation<2>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*coarsest_mesh);
  refine_to(*coarsest_mesh,
            coarser_cells<2>(active_cell_names(*coarse_mesh)));
  FEFieldCoefficient<2> coarsest(*coarsest_mesh, degree, false);
  testing::log() << "  through a third level of "
                 << coarsest_mesh->n_global_active_cells() << " cells, "
                 << coarsest.dof_handler().n_dofs() << " parameters:"
                 << std::endl;
  const FieldTransfer<2> chain({&fine, &coarse, &coarsest});
  check_transfer(chain, fine, coarsest, degree);

  const FieldTransfer<2> last_step(coarse, coarsest);
  LA::Vector             x  = random_vector(coarsest, 3);
  coarsest.constraints().distribute(x);
  LA::Vector Px = fine.make_parameter_vector();
  LA::Vector step = coarse.make_parameter_vector();
  LA::Vector steps = fine.make_parameter_vector();
  chain.prolongate(x, Px);
  last_step.prolongate(x, step);
  transfer.prolongate(step, steps);
  Px -= steps;
  const LA::Vector g  = random_vector(fine, 4);
  LA::Vector       Rg = coarsest.make_parameter_vector();
  LA::Vector       Rg_steps = coarsest.make_parameter_vector();
  chain.restrict_dual(g, Rg);
  transfer.restrict_dual(g, step);
  last_step.restrict_dual(step, Rg_steps);
  Rg -= Rg_steps;
  testing::log() << "    its prolongation and restriction those of its steps "
                    "one after the other: "
                 << testing::yes_no(Px.linfty_norm() < 1e-12 &&
                                    Rg.linfty_norm() < 1e-12 * g.l1_norm())
                 << std::endl;
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check(1);
  check(2);
  return 0;
}
