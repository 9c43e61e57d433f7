#include <deal.II/base/exceptions.h>
#include <deal.II/base/utilities.h>

#include <deal.II/fe/fe.h>
#include <deal.II/fe/fe_nothing.h>
#include <deal.II/fe/fe_values.h>

#include <mollifem/data/observation_operator.h>
#include <mollifem/mollifier/targets.h>

#include <limits>

namespace mollifem
{
  template <int dim>
  Targets<dim>
  Targets<dim>::at_support_points(const DoFHandler<dim> &dof_handler,
                                  const Mapping<dim> &   mapping)
  {
    const FiniteElement<dim> &fe = dof_handler.get_fe();
    AssertThrow(fe.n_components() == 1 && fe.has_support_points(),
                ExcMessage("Targets at support points need a scalar finite "
                           "element with support points (FE_Q), not " +
                           fe.get_name() + "."));
    Targets targets;
    targets.communicator =
      dof_handler.get_triangulation().get_communicator();
    targets.locally_owned_rows = dof_handler.locally_owned_dofs();
    const unsigned int n = targets.locally_owned_rows.n_elements();
    targets.points.resize(n);
    targets.cell_sizes.assign(n, std::numeric_limits<double>::max());

    FEValues<dim> fe_values(mapping,
                            fe,
                            Quadrature<dim>(fe.get_unit_support_points()),
                            update_quadrature_points);
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    // Ghost cells too: a DoF on the boundary of this rank's part takes the
    // smallest size of all cells around it, whoever owns them.
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        {
          cell->get_dof_indices(dofs);
          bool reinitialized = false;
          for (unsigned int i = 0; i < dofs.size(); ++i)
            if (targets.locally_owned_rows.is_element(dofs[i]))
              {
                if (!reinitialized)
                  {
                    fe_values.reinit(cell);
                    reinitialized = true;
                  }
                const unsigned int row =
                  targets.locally_owned_rows.index_within_set(dofs[i]);
                targets.points[row] = fe_values.quadrature_point(i);
                targets.cell_sizes[row] =
                  std::min(targets.cell_sizes[row], cell_size<dim>(cell));
              }
        }
    return targets;
  }



  template <int dim>
  Targets<dim>
  Targets<dim>::at_quadrature_points(const Triangulation<dim> &triangulation,
                                     const Quadrature<dim> &   quadrature,
                                     const Mapping<dim> &      mapping)
  {
    Targets targets;
    targets.communicator = triangulation.get_communicator();
    FE_Nothing<dim> nothing;
    FEValues<dim>   fe_values(mapping,
                            nothing,
                            quadrature,
                            update_quadrature_points);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              targets.points.push_back(fe_values.quadrature_point(q));
              targets.cell_sizes.push_back(cell_size<dim>(cell));
            }
        }

    const types::global_dof_index n_local = targets.points.size();
    types::global_dof_index       offset  = 0;
    const int                     ierr    = MPI_Exscan(&n_local,
                                  &offset,
                                  1,
                                  Utilities::MPI::mpi_type_id_for_type<
                                    types::global_dof_index>,
                                  MPI_SUM,
                                  targets.communicator);
    AssertThrowMPI(ierr);
    if (Utilities::MPI::this_mpi_process(targets.communicator) == 0)
      offset = 0;
    targets.locally_owned_rows.set_size(
      Utilities::MPI::sum(n_local, targets.communicator));
    targets.locally_owned_rows.add_range(offset, offset + n_local);
    return targets;
  }



  template <int dim>
  Targets<dim>
  Targets<dim>::at_points(const std::vector<Point<dim>> &all_points,
                          const Triangulation<dim> &     triangulation,
                          const Mapping<dim> &           mapping)
  {
    Targets targets;
    targets.communicator = triangulation.get_communicator();
    // The same blocks as the observation operator's, which also finds the
    // cells around every point.
    targets.locally_owned_rows = Utilities::create_evenly_distributed_partitioning(
      Utilities::MPI::this_mpi_process(targets.communicator),
      Utilities::MPI::n_mpi_processes(targets.communicator),
      static_cast<types::global_dof_index>(all_points.size()));

    ObservationOperator<dim> locator(all_points, targets.communicator);
    locator.reinit(triangulation, mapping);
    const std::vector<unsigned int> missing = locator.points_not_found();
    AssertThrow(missing.empty(),
                ExcMessage("Target point " + std::to_string(missing.front()) +
                           " lies outside the mesh."));
    const std::vector<double> sizes = locator.min_over_cells(
      [](const typename Triangulation<dim>::active_cell_iterator &cell) {
        return cell_size<dim>(cell);
      });
    for (const auto row : targets.locally_owned_rows)
      {
        targets.points.push_back(all_points[row]);
        targets.cell_sizes.push_back(sizes[row]);
      }
    return targets;
  }



  template struct Targets<1>;
  template struct Targets<2>;
  template struct Targets<3>;
} // namespace mollifem
