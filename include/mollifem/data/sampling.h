#ifndef mollifem_data_sampling_h
#define mollifem_data_sampling_h

#include <deal.II/base/bounding_box.h>
#include <deal.II/base/point.h>

#include <deal.II/fe/mapping.h>

#include <deal.II/grid/tria.h>

#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The smallest axis-parallel box that contains the whole mesh, on all
   * ranks. Collective.
   */
  template <int dim>
  BoundingBox<dim>
  domain_bounding_box(const Triangulation<dim> &triangulation);

  /**
   * @p n points drawn uniformly from the domain of @p triangulation: uniform
   * in its bounding box, those outside the mesh rejected. Boost's mt19937
   * seeded with @p seed makes the draws, so that they are the same on every
   * platform and for every number of ranks. Collective.
   */
  template <int dim>
  std::vector<Point<dim>>
  random_points_in_domain(const Triangulation<dim> &triangulation,
                          const Mapping<dim> &      mapping,
                          const unsigned int        n,
                          const unsigned int        seed);
} // namespace mollifem

#endif
