#include <deal.II/base/mpi.h>

#include <mollifem/data/observation_operator.h>
#include <mollifem/data/sampling.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <limits>

namespace mollifem
{
  template <int dim>
  BoundingBox<dim>
  domain_bounding_box(const Triangulation<dim> &triangulation)
  {
    std::vector<double> lower(dim, std::numeric_limits<double>::max());
    std::vector<double> upper(dim, std::numeric_limits<double>::lowest());
    const auto &        used = triangulation.get_used_vertices();
    const auto &        vertices = triangulation.get_vertices();
    for (unsigned int v = 0; v < vertices.size(); ++v)
      if (used[v])
        for (unsigned int d = 0; d < dim; ++d)
          {
            lower[d] = std::min(lower[d], vertices[v][d]);
            upper[d] = std::max(upper[d], vertices[v][d]);
          }
    const MPI_Comm communicator = triangulation.get_communicator();
    Utilities::MPI::min(lower, communicator, lower);
    Utilities::MPI::max(upper, communicator, upper);

    Point<dim> p_lower, p_upper;
    for (unsigned int d = 0; d < dim; ++d)
      {
        p_lower[d] = lower[d];
        p_upper[d] = upper[d];
      }
    return BoundingBox<dim>(std::make_pair(p_lower, p_upper));
  }



  template <int dim>
  std::vector<Point<dim>>
  random_points_in_domain(const Triangulation<dim> &triangulation,
                          const Mapping<dim> &      mapping,
                          const unsigned int        n,
                          const unsigned int        seed)
  {
    const BoundingBox<dim> box = domain_bounding_box(triangulation);

    boost::random::mt19937                           generator(seed);
    boost::random::uniform_real_distribution<double> uniform(0., 1.);
    std::vector<Point<dim>>                          result;
    result.reserve(n);

    // Draw in batches and keep the candidates inside the mesh. A domain that
    // fills less than 1/100 of its bounding box is not worth sampling this
    // way: stop rather than loop for long.
    const unsigned int max_batches = 100;
    for (unsigned int batch = 0; batch < max_batches && result.size() < n;
         ++batch)
      {
        std::vector<Point<dim>> candidates(n - result.size());
        for (auto &p : candidates)
          for (unsigned int d = 0; d < dim; ++d)
            p[d] = box.lower_bound(d) + uniform(generator) * box.side_length(d);

        ObservationOperator<dim> locator(candidates,
                                         triangulation.get_communicator());
        locator.reinit(triangulation, mapping);
        std::vector<bool> inside(candidates.size(), true);
        for (const unsigned int i : locator.points_not_found())
          inside[i] = false;
        for (unsigned int i = 0; i < candidates.size(); ++i)
          if (inside[i])
            result.push_back(candidates[i]);
      }
    AssertThrow(result.size() == n,
                ExcMessage("Could not draw the requested number of random "
                           "points inside the domain: it fills too small a "
                           "part of its bounding box."));
    return result;
  }



  template BoundingBox<1>
  domain_bounding_box(const Triangulation<1> &);
  template BoundingBox<2>
  domain_bounding_box(const Triangulation<2> &);
  template BoundingBox<3>
  domain_bounding_box(const Triangulation<3> &);
  template std::vector<Point<1>>
  random_points_in_domain(const Triangulation<1> &,
                          const Mapping<1> &,
                          const unsigned int,
                          const unsigned int);
  template std::vector<Point<2>>
  random_points_in_domain(const Triangulation<2> &,
                          const Mapping<2> &,
                          const unsigned int,
                          const unsigned int);
  template std::vector<Point<3>>
  random_points_in_domain(const Triangulation<3> &,
                          const Mapping<3> &,
                          const unsigned int,
                          const unsigned int);
} // namespace mollifem
